package sweep

import (
	"strconv"

	"github.com/mt2st/mt2st/results"
)

// PlanTable shows a plan's trials: index, configuration label (the
// strategy and the swept values), strategy spec, epochs, replicate, seed and
// trial id. The CSV form has one column per swept option instead.
func PlanTable(p *Plan) *results.Table {
	t := &results.Table{
		Header:  []string{"#", "configuration", "strategy spec", "epochs", "rep", "seed", "trial"},
		Numeric: []bool{true, false, false, true, true, true, false},
	}
	t.CSVHeader = append([]string{"index", "label"}, p.Swept...)
	t.CSVHeader = append(t.CSVHeader, "strategy", "epochs", "replicate", "seed", "id")
	for _, tr := range p.Trials {
		row := []string{strconv.Itoa(tr.Index), tr.Label, tr.Config.Strategy.String(), strconv.Itoa(tr.Config.Epochs),
			strconv.Itoa(tr.Replicate), strconv.FormatInt(tr.Config.Seed, 10), tr.ID}
		cells := make([]results.Cell, len(row))
		for i, s := range row {
			cells[i] = results.Cell{Text: s}
		}
		t.Rows = append(t.Rows, cells)
		csv := []string{row[0], tr.Label}
		for _, o := range p.Swept {
			csv = append(csv, tr.Values[o])
		}
		t.CSVRows = append(t.CSVRows, append(csv, row[2:]...))
	}
	return t
}
