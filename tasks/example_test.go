package tasks_test

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/mt2st/mt2st/graph"
	"github.com/mt2st/mt2st/tasks"
	"github.com/mt2st/mt2st/tasks/taskstest"
	"github.com/mt2st/mt2st/text"
)

// Closeness is the guide's example (tasks/README.md): an auxiliary task that
// pulls listed word pairs together, L = mean over a batch of (1 − cos(e_a, e_b)).
// A real task keeps it in its own package, tasks/closeness/closeness.go.
type Closeness struct {
	vocab   *text.Vocab
	pairs   [][2]int32
	batches *tasks.Batches
	a, b    []int32       // the batch's rows, refilled in place; −1 = padding
	weight  *tensor.Dense // 1/n on real rows, 0 on padding
}

var _ tasks.Task = (*Closeness)(nil)

// NewCloseness is the factory the registry calls; it reads its settings
// through env (unknown settings are rejected by the runner).
func NewCloseness(env *tasks.Env) (tasks.Task, error) {
	batch, err := env.Int("closeness.batch", 2)
	if err != nil {
		return nil, err
	}
	var pairs [][2]int32
	for _, p := range [][2]string{{"good", "great"}, {"bad", "awful"}, {"movie", "film"}} {
		a, okA := env.Vocab.Lookup(p[0])
		b, okB := env.Vocab.Lookup(p[1])
		if okA && okB {
			pairs = append(pairs, [2]int32{a, b})
		}
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("no pair in the vocabulary")
	}
	c := &Closeness{vocab: env.Vocab, pairs: pairs, batches: tasks.NewBatches(len(pairs), batch)}
	n := c.batches.Size()
	c.a, c.b = make([]int32, n), make([]int32, n)
	c.weight = tensor.New(tensor.WithShape(n), tensor.Of(tensor.Float32))
	return c, nil
}

func (c *Closeness) Name() string { return "closeness" }

func (c *Closeness) StartEpoch(rng *rand.Rand) int { return c.batches.Start(rng) }

func (c *Closeness) NextBatch(rng *rand.Rand) {
	idx := c.batches.Next(rng)
	w := c.weight.Data().([]float32)
	for r := range c.a {
		if r < len(idx) {
			p := c.pairs[idx[r]]
			c.a[r], c.b[r], w[r] = p[0], p[1], 1/float32(len(idx))
		} else {
			c.a[r], c.b[r], w[r] = -1, -1, 0
		}
	}
}

// Build adds the head: rows of the shared embedding in, a scalar loss out.
func (c *Closeness) Build(b *graph.Builder) (*G.Node, error) {
	ea, err := b.Rows(b.Embedding(), c.a, "a")
	if err != nil {
		return nil, err
	}
	eb, err := b.Rows(b.Embedding(), c.b, "b")
	if err != nil {
		return nil, err
	}
	cos, err := graph.RowCosines(ea, eb)
	if err != nil {
		return nil, err
	}
	weighted, err := G.HadamardProd(cos, b.Input("weight", c.weight))
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(weighted)
	if err != nil {
		return nil, err
	}
	one := G.NewScalar(b.Graph(), tensor.Float32, G.WithName("closeness/one"), G.WithValue(float32(1)))
	return G.Sub(one, sum) // Σ w = 1 over real rows: 1 − mean cos
}

// Evaluate reports the mean cosine of the pairs (its key carries the task
// name, so it never collides with another task's metrics).
func (c *Closeness) Evaluate(m *graph.Model, _ tasks.Split) (tasks.Metrics, error) {
	vecs, err := tasks.LiveVectors(m, c.vocab)
	if err != nil {
		return nil, err
	}
	var sum float64
	for _, p := range c.pairs {
		s, _ := vecs.Similarity(c.vocab.Word(p[0]), c.vocab.Word(p[1]))
		sum += s
	}
	return tasks.Metrics{"closeness/mean_cosine": sum / float64(len(c.pairs))}, nil
}

// Registration is one line in the task's package (plus one blank import in
// experiments/registry.go).
func init() { tasks.Register("closeness", NewCloseness) }

// Example_auxiliaryTask builds the guide's task through the registry, checks
// its gradient against finite differences and trains it alone for a few
// steps, as the runner would.
func Example_auxiliaryTask() {
	vocab := text.NewVocab([]string{"good", "great", "bad", "awful", "movie", "film"})
	env := &tasks.Env{Vocab: vocab, Dim: 8, Settings: tasks.NewSettings(map[string]string{"closeness.batch": "2"})}
	task, err := tasks.New("closeness", env)
	if err != nil {
		fmt.Println(err)
		return
	}
	emb := graph.NewTable("embedding", vocab.Len(), env.Dim)
	emb.Fill(graph.Uniform(-0.5, 0.5), 1)
	model := graph.NewModel(emb, graph.DefaultAdam(), 1)
	model.Opt.LR = 0.05
	rng := rand.New(rand.NewPCG(1, 2))

	task.StartEpoch(rng)
	task.NextBatch(rng)
	worst, _, err := taskstest.GradCheck(model, task, 1e-2, 20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("gradient matches finite differences:", worst < 1e-2)

	before, _ := task.Evaluate(model, tasks.Validation)
	prog, err := model.Program(task)
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 20 {
		for range task.StartEpoch(rng) {
			task.NextBatch(rng)
			if _, err := prog.Step([]float64{1}); err != nil {
				fmt.Println(err)
				return
			}
		}
	}
	after, _ := task.Evaluate(model, tasks.Validation)
	fmt.Println("pairs closer after training:", after["closeness/mean_cosine"] > before["closeness/mean_cosine"]+0.5)
	fmt.Println("unknown name lists the tasks:", tasks.CheckNames([]string{"closenes"}) != nil)
	// Output:
	// gradient matches finite differences: true
	// pairs closer after training: true
	// unknown name lists the tasks: true
}
