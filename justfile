# Recipes for mt2st. `just` is optional: every recipe is one plain command.

# run the tests (the README's test command)
test:
    go test ./...

# the comparison tables on real IMDB data (quick configuration; the README's Results section gives its time)
reproduce *ARGS:
    go run . reproduce {{ARGS}}

# the full paper protocol: BiLSTM-256, full batch, 25 epochs, 3 seeds
reproduce-paper:
    go run . reproduce --full --seeds 3 --out runs/paper

# list the tasks, run options and task options
tasks:
    go run . tasks

# check that MTL (more work) does not measure faster than STL: the timing has no confound
timing-check *ARGS:
    go run . timing-check {{ARGS}}

# evaluate word2vec-format vectors (gensim semantics)
eval VECTORS *ARGS:
    go run . eval --vectors {{VECTORS}} {{ARGS}}

# preview a strategy's auxiliary weights per epoch
schedule SPEC EPOCHS="25":
    go run . schedule --strategy '{{SPEC}}' --epochs {{EPOCHS}}

# vet, format check and tests, as CI runs them
ci:
    .ci/run

# plan, run (2 workers) and report a sweep file
sweep FILE:
    go run . sweep plan {{FILE}}
    go run . sweep run {{FILE}} -j 2
    go run . sweep report runs/sweeps/$(basename {{FILE}} .yaml)

# time the standard models against the PyTorch reference
bench:
    go run . bench --model all --compare scripts/torch_ref.py
