# Shared by scripts/compare_word2vec.sh and scripts/compare_fasttext.sh (sourced,
# not run): the set-up before the timed runs and the lines printed for one model.
# The caller sets py (the Python with gensim), out (the output directory) and
# data (the data directory).

# compare_setup checks that gensim is installed, builds mt2st and the
# pre-training command into $out, and prints the machine.
compare_setup() {
  if ! "$py" -c 'import gensim' 2>/dev/null; then
    echo "gensim is not installed for $py: apt-get update && apt-get install -y python3-gensim" >&2
    exit 2
  fi
  mkdir -p "$out"
  go build -o "$out/mt2st" .
  go build -o "$out/pretrain" ./scripts/pretrain
  grep -m1 'model name' /proc/cpuinfo || true
  echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

compare_field() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

# compare_spearman prints a vector file's WS-353 and Stanford RW Spearman.
compare_spearman() {
  "$out/mt2st" eval --data "$data" --vectors "$1" --json |
    "$py" -c 'import json,sys; s=json.load(sys.stdin)["similarity"]; print("%.4f %.4f" % (s["EN-WS-353-ALL"]["spearman"], s["EN-RW-STANFORD"]["spearman"]))'
}

# compare_report LABEL MODEL EPOCHS prints both sides' training times, their
# ratio and their Spearman, from $out/{mt2st,gensim}-MODEL.{json,txt}.
compare_report() {
  local label=$1 m=$2 epochs=$3 ours oursc theirs theirsc ows orw gws grw
  ours=$(compare_field "$out/mt2st-$m.json" train_seconds); oursc=$(compare_field "$out/mt2st-$m.json" train_cpu_seconds)
  theirs=$(compare_field "$out/gensim-$m.json" train_seconds); theirsc=$(compare_field "$out/gensim-$m.json" train_cpu_seconds)
  read -r ows orw <<<"$(compare_spearman "$out/mt2st-$m.txt")"
  read -r gws grw <<<"$(compare_spearman "$out/gensim-$m.txt")"
  "$py" - "$label$m" "$epochs" "$ours" "$oursc" "$theirs" "$theirsc" "$ows" "$orw" "$gws" "$grw" <<'PY'
import sys
m, ep = sys.argv[1], sys.argv[2]
o, oc, g, gc, ows, orw, gws, grw = map(float, sys.argv[3:])
print(f"{m}, {ep} epoch(s): mt2st {o:.1f} s (CPU {oc:.1f} s), gensim {g:.1f} s (CPU {gc:.1f} s); "
      f"ratio mt2st/gensim wall {o / g:.2f}, CPU {oc / gc:.2f}")
print(f"  WS-353 Spearman mt2st {ows:.4f} gensim {gws:.4f} (diff {ows - gws:+.4f}); "
      f"RW mt2st {orw:.4f} gensim {grw:.4f} (diff {orw - grw:+.4f})")
PY
}
