package results

import (
	"bytes"
	"encoding/json"
	"math"
	"sort"
)

// JSON has no NaN or infinity, and encoding/json refuses them, so a single
// undefined metric (a Spearman ρ of a constant list) or a diverged loss would
// make a whole run record unwritable. Metrics, and the Weights and Loss maps
// of an Epoch, therefore write a non-finite value as null and read null back
// as NaN, which every reader here treats as "not measured".

// MarshalJSON writes m with keys sorted, non-finite values as null.
func (m Metrics) MarshalJSON() ([]byte, error) { return marshalFloatMap(m) }

// UnmarshalJSON reads an object of numbers; null becomes NaN.
func (m *Metrics) UnmarshalJSON(data []byte) error {
	out, err := unmarshalFloatMap(data)
	if err != nil {
		return err
	}
	*m = out
	return nil
}

func marshalFloatMap(m map[string]float64) ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(key)
		b.WriteByte(':')
		v := m[k]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.WriteString("null")
			continue
		}
		num, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(num)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func unmarshalFloatMap(data []byte) (map[string]float64, error) {
	var raw map[string]*float64
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, nil
	}
	out := make(map[string]float64, len(raw))
	for k, v := range raw {
		if v == nil {
			out[k] = math.NaN()
		} else {
			out[k] = *v
		}
	}
	return out, nil
}

// epochFields is Epoch without its JSON methods.
type epochFields Epoch

// epochWire is Epoch on the wire: Weights and Loss take Metrics' null-safe
// encoding; the outer fields shadow the embedded ones of the same JSON name.
type epochWire struct {
	epochFields
	Weights Metrics `json:"weights"`
	Loss    Metrics `json:"loss"`
}

// MarshalJSON writes e with non-finite weights and losses as null.
func (e Epoch) MarshalJSON() ([]byte, error) {
	return json.Marshal(epochWire{epochFields: epochFields(e), Weights: e.Weights, Loss: e.Loss})
}

// UnmarshalJSON reads an epoch; null weights or losses become NaN.
func (e *Epoch) UnmarshalJSON(data []byte) error {
	var w epochWire
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*e = Epoch(w.epochFields)
	e.Weights, e.Loss = w.Weights, w.Loss
	return nil
}
