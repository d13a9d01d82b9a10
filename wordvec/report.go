package wordvec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// PairResult is the evaluation of one similarity list.
type PairResult struct {
	Name     string  // list name, e.g. "EN-WS-353-ALL"
	Spearman float64 // NaN when undefined (fewer than 2 pairs, constant scores)
	Pearson  float64 // NaN when undefined
	Pairs    int     // pairs evaluated (both words in the vocabulary)
	OOV      float64 // fraction of the list's pairs skipped, in [0, 1]; gensim reports 100× this
}

// SectionResult is the evaluation of one analogy section.
type SectionResult struct {
	Name      string  // section name, e.g. "capital-common-countries"
	CosAdd    float64 // accuracy by 3CosAdd, a fraction; 0 when Questions is 0
	CosMul    float64 // accuracy by 3CosMul
	Questions int     // questions evaluated (all four words in the vocabulary)
}

// AnalogyTotal sums all sections (gensim's "Total accuracy").
type AnalogyTotal struct {
	CosAdd    float64
	CosMul    float64
	Questions int     // questions evaluated
	OOV       float64 // fraction of all questions skipped, in [0, 1]
}

// AnalogyResult is the evaluation of an analogy set, sections in file order.
type AnalogyResult struct {
	Sections []SectionResult
	Total    AnalogyTotal
}

// Report is everything `mt2st eval` reports. Its JSON form is
//
//	{"similarity": {"EN-WS-353-ALL": {"spearman": f, "pearson": f, "pairs": n, "oov": f}, ...},
//	 "analogy": {"sections": {"capital-common-countries": {"3cosadd": f, "3cosmul": f, "questions": n}, ...},
//	             "total": {"3cosadd": f, "3cosmul": f, "questions": n, "oov": f}}}
//
// with lists and sections in their given order, and null for a NaN
// correlation (JSON has no NaN).
type Report struct {
	Similarity []PairResult
	Analogy    AnalogyResult
}

type pairJSON struct {
	Spearman *float64 `json:"spearman"`
	Pearson  *float64 `json:"pearson"`
	Pairs    int      `json:"pairs"`
	OOV      float64  `json:"oov"`
}

type sectionJSON struct {
	CosAdd    float64 `json:"3cosadd"`
	CosMul    float64 `json:"3cosmul"`
	Questions int     `json:"questions"`
}

type totalJSON struct {
	CosAdd    float64 `json:"3cosadd"`
	CosMul    float64 `json:"3cosmul"`
	Questions int     `json:"questions"`
	OOV       float64 `json:"oov"`
}

func nullIfNaN(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

func nanIfNull(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes the shape documented on Report.
func (r Report) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"similarity":`)
	err := writeObject(&buf, len(r.Similarity), func(i int) (string, any) {
		p := r.Similarity[i]
		return p.Name, pairJSON{nullIfNaN(p.Spearman), nullIfNaN(p.Pearson), p.Pairs, p.OOV}
	})
	if err != nil {
		return nil, err
	}
	buf.WriteString(`,"analogy":{"sections":`)
	err = writeObject(&buf, len(r.Analogy.Sections), func(i int) (string, any) {
		s := r.Analogy.Sections[i]
		return s.Name, sectionJSON{s.CosAdd, s.CosMul, s.Questions}
	})
	if err != nil {
		return nil, err
	}
	t := r.Analogy.Total
	total, err := json.Marshal(totalJSON{t.CosAdd, t.CosMul, t.Questions, t.OOV})
	if err != nil {
		return nil, fmt.Errorf("analogy total: %w", err)
	}
	buf.WriteString(`,"total":`)
	buf.Write(total)
	buf.WriteString("}}")
	return buf.Bytes(), nil
}

// writeObject writes a JSON object of n members in order.
func writeObject(buf *bytes.Buffer, n int, member func(i int) (string, any)) error {
	buf.WriteByte('{')
	for i := range n {
		key, value := member(i)
		k, err := json.Marshal(key)
		if err != nil {
			return err
		}
		v, err := json.Marshal(value)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return nil
}

// UnmarshalJSON reads the shape MarshalJSON writes, keeping member order.
func (r *Report) UnmarshalJSON(data []byte) error {
	var top struct {
		Similarity json.RawMessage `json:"similarity"`
		Analogy    struct {
			Sections json.RawMessage `json:"sections"`
			Total    totalJSON       `json:"total"`
		} `json:"analogy"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	*r = Report{}
	err := readObject(top.Similarity, func(key string, raw json.RawMessage) error {
		var p pairJSON
		if err := json.Unmarshal(raw, &p); err != nil {
			return err
		}
		r.Similarity = append(r.Similarity, PairResult{key, nanIfNull(p.Spearman), nanIfNull(p.Pearson), p.Pairs, p.OOV})
		return nil
	})
	if err != nil {
		return fmt.Errorf("report similarity: %w", err)
	}
	err = readObject(top.Analogy.Sections, func(key string, raw json.RawMessage) error {
		var s sectionJSON
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		r.Analogy.Sections = append(r.Analogy.Sections, SectionResult{key, s.CosAdd, s.CosMul, s.Questions})
		return nil
	})
	if err != nil {
		return fmt.Errorf("report analogy sections: %w", err)
	}
	t := top.Analogy.Total
	r.Analogy.Total = AnalogyTotal{t.CosAdd, t.CosMul, t.Questions, t.OOV}
	return nil
}

// readObject calls member for each member of a JSON object, in order. An
// absent (empty or null) object has no members.
func readObject(data json.RawMessage, member func(key string, raw json.RawMessage) error) error {
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("want an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if err := member(key, raw); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	return nil
}
