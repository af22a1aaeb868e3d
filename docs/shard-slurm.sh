#!/bin/bash
# Diagnose a large archive of runs as a Slurm job array, then merge the shard reports into one.
#
#   sbatch --array=1-32 docs/shard-slurm.sh /archive/runs out/
#   # when every task is done (or chain it: sbatch --dependency=afterok:<array job id> --wrap "...merge...")
#   npx dann-doctor merge out/shard-*.json --format markdown=out/triage.md --format json=out/all.json
#
# Each task reads only its share of the runs (--shard i/n: a stable hash of each run's path below the root, so
# adding runs to the archive does not move the others) and writes a JSON shard report. `merge` checks the set is
# complete (1..n, same options), puts the runs back in discovery order and picks source-only baselines over the
# whole set; only the runs whose baseline was in another shard are read again (their paths must still be readable
# from where merge runs; pass --baseline RUN to every shard and nothing is read again).
#SBATCH --job-name=dann-doctor
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=00:30:00
#SBATCH --output=%x-%A_%a.log
set -euo pipefail
ROOT=${1:?usage: sbatch --array=1-N shard-slurm.sh RUNS_ROOT OUT_DIR}
OUT=${2:?usage: sbatch --array=1-N shard-slurm.sh RUNS_ROOT OUT_DIR}
mkdir -p "$OUT"
# --fail-on never: a shard with findings is still a finished task (the merged report decides what fails)
npx dann-doctor "$ROOT" --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
  --format "json=$OUT/shard-${SLURM_ARRAY_TASK_ID}.json" --fail-on never
