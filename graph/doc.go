// Package graph holds what every task shares: the host-side embedding tables,
// the dense parameters of the task heads, the Adam optimisers, and the compiled
// Gorgonia programs whose combined loss node is Σ w_k·L_k.
//
// The design follows the Gorgonia facts in docs/design.md (section "Gorgonia
// facts"):
//
//   - Embedding tables live on the host ([Table]). Each head gathers the rows it
//     needs into a small (n, D) input node ([Builder.Rows]); after the backward
//     pass the row gradients are scatter-added back and only the touched rows are
//     updated, with a row-sparse (lazy) Adam that matches torch.optim.SparseAdam.
//     No V×D gradient is ever allocated.
//   - Dense parameters ([Param]) are tensors shared by every graph that uses
//     them and are updated in place by a fused Adam that matches torch.optim.Adam.
//   - A [Program] is one Gorgonia graph built for one set of modules. Its combined
//     loss node sums each module's loss times a scalar weight input node; the
//     weights change between steps with no rebuild. A module whose weight is 0 is
//     simply not in the program that runs, so it costs nothing: [Model.Program]
//     caches one program per set of active modules.
//
// The hot paths avoid per-step allocation and chains of stock ops: fused ops
// with hand-written backward passes that own their buffers ([WeightedPool],
// [SoftmaxCrossEntropy], [Linear], [RowCosines]), AVX2 loops for the Adam
// update and the row scatter-add, table rows visited in address order with
// software prefetch, and large updates split over the CPUs.
//
// Package graph knows no task: a task enters as a [Module] that builds its head
// with a [Builder].
package graph
