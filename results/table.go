package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Missing is shown for a value a group or run does not have.
const Missing = "–"

// TerminalBestMarker is appended to the best cell of a column in terminal output.
const TerminalBestMarker = " *"

// Cell is one displayed table cell.
type Cell struct {
	Text string
	Best bool // best value of its column: bold in Markdown and LaTeX, "*" in the terminal
}

// Table is a rendered-format-independent table: the display cells for the
// terminal, Markdown and LaTeX, footnotes, and a separate machine-readable
// form for CSV (means, stds and interval bounds as plain numbers).
type Table struct {
	Title     string
	Header    []string
	Numeric   []bool // per column: right-aligned
	Rows      [][]Cell
	Notes     []string // footnotes printed under the table
	CSVHeader []string
	CSVRows   [][]string
}

// Column returns the index of the column with the given header, or -1.
func (t *Table) Column(header string) int {
	for i, h := range t.Header {
		if h == header {
			return i
		}
	}
	return -1
}

// WriteTerminal renders the table with box-drawing borders, the best cell of
// each column followed by " *", then the title above and the notes below.
func (t *Table) WriteTerminal(w io.Writer) error {
	if t.Title != "" {
		if _, err := fmt.Fprintln(w, t.Title); err != nil {
			return err
		}
	}
	mark := func(c Cell) string {
		if c.Best {
			return c.Text + TerminalBestMarker
		}
		return c.Text
	}
	if err := t.render(w, renderer.NewBlueprint(), mark); err != nil {
		return err
	}
	return t.writeNotes(w, "")
}

// WriteMarkdown renders a GitHub pipe table: best cells in bold, the title as
// a level-3 heading, notes as a paragraph under the table.
func (t *Table) WriteMarkdown(w io.Writer) error {
	if t.Title != "" {
		if _, err := fmt.Fprintf(w, "### %s\n\n", escapeMarkdown(t.Title)); err != nil {
			return err
		}
	}
	mark := func(c Cell) string {
		s := escapeMarkdown(c.Text)
		if c.Best {
			return "**" + s + "**"
		}
		return s
	}
	if err := t.render(w, renderer.NewMarkdown(), mark); err != nil {
		return err
	}
	if len(t.Notes) > 0 {
		if _, err := fmt.Fprintln(w); err != nil {
			return err
		}
	}
	return t.writeNotes(w, "")
}

// WriteCSV writes the machine-readable form: CSVHeader and CSVRows.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.CSVHeader); err != nil {
		return err
	}
	if err := cw.WriteAll(t.CSVRows); err != nil {
		return err
	}
	return cw.Error()
}

// WriteLaTeX renders a booktabs tabular (best cells in \textbf), with the
// notes as a footnotesize paragraph.
func (t *Table) WriteLaTeX(w io.Writer) error {
	var b strings.Builder
	spec := make([]byte, len(t.Header))
	for i := range t.Header {
		spec[i] = 'l'
		if i < len(t.Numeric) && t.Numeric[i] {
			spec[i] = 'r'
		}
	}
	if t.Title != "" {
		fmt.Fprintf(&b, "%% %s\n", t.Title)
	}
	fmt.Fprintf(&b, "\\begin{tabular}{%s}\n\\toprule\n", spec)
	head := make([]string, len(t.Header))
	for i, h := range t.Header {
		head[i] = escapeLaTeX(h)
	}
	fmt.Fprintf(&b, "%s \\\\\n\\midrule\n", strings.Join(head, " & "))
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escapeLaTeX(c.Text)
			if c.Best {
				cells[i] = "\\textbf{" + cells[i] + "}"
			}
		}
		fmt.Fprintf(&b, "%s \\\\\n", strings.Join(cells, " & "))
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	for _, n := range t.Notes {
		fmt.Fprintf(&b, "{\\footnotesize %s}\\\\\n", escapeLaTeX(n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (t *Table) render(w io.Writer, r tw.Renderer, text func(Cell) string) error {
	aligns := make([]tw.Align, len(t.Header))
	for i := range aligns {
		aligns[i] = tw.AlignLeft
		if i < len(t.Numeric) && t.Numeric[i] {
			aligns[i] = tw.AlignRight
		}
	}
	tbl := tablewriter.NewTable(w,
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: aligns}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: aligns}),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = h
	}
	tbl.Header(header...)
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = text(c)
		}
		if err := tbl.Append(cells); err != nil {
			return fmt.Errorf("render table %q: %w", t.Title, err)
		}
	}
	if err := tbl.Render(); err != nil {
		return fmt.Errorf("render table %q: %w", t.Title, err)
	}
	return nil
}

func (t *Table) writeNotes(w io.Writer, prefix string) error {
	for _, n := range t.Notes {
		if _, err := fmt.Fprintln(w, prefix+n); err != nil {
			return err
		}
	}
	return nil
}

// escapeMarkdown keeps cell text from breaking a pipe table or turning into
// emphasis.
func escapeMarkdown(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`).Replace(s)
}

func escapeLaTeX(s string) string {
	return strings.NewReplacer(
		`\`, `\textbackslash{}`, "&", `\&`, "%", `\%`, "$", `\$`, "#", `\#`, "_", `\_`,
		"{", `\{`, "}", `\}`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`,
		"±", `$\pm$`, "–", `--`, "−", `$-$`, "×", `$\times$`, "≥", `$\geq$`, "Δ", `$\Delta$`,
		"x̄", `$\bar{x}$`, "²", `$^2$`, "·", `$\cdot$`, "…", `\ldots{}`,
		"η", `$\eta$`, "ν", `$\nu$`, "γ", `$\gamma$`, "†", `$^\dagger$`, "√", `$\surd$`, "≤", `$\leq$`,
	).Replace(s)
}

// decimals returns the number of decimals used for a unit and magnitude:
// 3 for fractions; for seconds, 3 significant-ish digits (0 from 100 s).
func decimals(u Unit, magnitude float64) int {
	switch u {
	case Fraction:
		return 3
	case Count:
		if magnitude == math.Trunc(magnitude) {
			return 0
		}
		return 1
	}
	a := math.Abs(magnitude)
	switch {
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	case a >= 1:
		return 2
	default:
		return 3
	}
}

// formatValue prints v in its unit ("–" for NaN).
func formatValue(u Unit, v float64) string {
	if math.IsNaN(v) {
		return Missing
	}
	return fmt.Sprintf("%.*f", decimals(u, v), v)
}

// formatPlusMinus prints "mean ± spread" with the mean's decimals, or only the
// mean when spread is undefined.
func formatPlusMinus(u Unit, m, spread float64) string {
	if math.IsNaN(m) {
		return Missing
	}
	d := decimals(u, m)
	if math.IsNaN(spread) {
		return fmt.Sprintf("%.*f", d, m)
	}
	return fmt.Sprintf("%.*f ± %.*f", d, m, d, spread)
}

// formatPoint prints "v [lo, hi]" with v's decimals, only v when the
// bounds are undefined, "–" when v is.
func formatPoint(u Unit, v, lo, hi float64) string {
	if math.IsNaN(v) {
		return Missing
	}
	d := decimals(u, v)
	out := fmt.Sprintf("%.*f", d, v)
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return out
	}
	return out + " " + formatInterval(d, lo, hi, false)
}

// formatInterval prints "[low, high]" with the given decimals, "–" when undefined.
func formatInterval(d int, lo, hi float64, signed bool) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return Missing
	}
	f := "%.*f"
	if signed {
		f = "%+.*f"
	}
	return fmt.Sprintf("["+f+", "+f+"]", d, lo, d, hi)
}

// csvFloat prints a number for CSV: shortest round-trip form, empty for NaN.
func csvFloat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return fmt.Sprintf("%g", v)
}

// markBest sets Best on the cells of column col whose value is the best of
// values (NaN = absent). Nothing is marked when fewer than two rows have a
// value, or when all values are equal: there is nothing to choose between.
func markBest(rows [][]Cell, col int, values []float64, better Better) {
	best := math.NaN()
	count := 0
	for _, v := range values {
		if math.IsNaN(v) {
			continue
		}
		count++
		if math.IsNaN(best) || (better == HigherIsBetter && v > best) || (better == LowerIsBetter && v < best) {
			best = v
		}
	}
	if count < 2 {
		return
	}
	same := true
	for _, v := range values {
		same = same && (math.IsNaN(v) || v == best)
	}
	if same {
		return // nothing to choose between
	}
	for i, v := range values {
		if v == best {
			rows[i][col].Best = true
		}
	}
}
