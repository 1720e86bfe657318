#!/bin/sh
# tokensim on Slurm: one job array runs the ${SHARDS} shards of one run, task k with
# SLURM_ARRAY_TASK_ID=k, which `--shard-from-env` turns into `--shard k/${SHARDS}` (an
# array that starts elsewhere, e.g. --array=1-${SHARDS}, is rebased by
# SLURM_ARRAY_TASK_MIN). Every task writes ${OUT}/${RUN}/shard=k/ on the shared file
# system; a rerun task rewrites the same bytes. Then `tokensim merge ${OUT}/${RUN}`:
#   sbatch --dependency=afterok:<this job's id> --wrap 'tokensim merge ${OUT}/${RUN}'
#
# Placeholders (render with envsubst, see deploy/README.md):
#   RUN         run name: the job's name and the folder under OUT
#   SHARDS      shard count N;  LAST_SHARD = N - 1
#   MODEL       the model file, on a path every node reads
#   OUT         a folder on the shared file system every node writes
#   THREADS     worker threads (CPUs) per shard
#   MEMORY_MB   memory per shard in MiB: the README's cost model ("Larger than one
#               machine") for your users per shard, plus headroom
#SBATCH --job-name=tokensim-${RUN}
#SBATCH --array=0-${LAST_SHARD}
#SBATCH --cpus-per-task=${THREADS}
#SBATCH --mem=${MEMORY_MB}M
#SBATCH --output=${OUT}/${RUN}-logs/shard-%a.log
set -eu
srun tokensim run ${MODEL} --shard-from-env --shards ${SHARDS} --threads ${THREADS} --out ${OUT}/${RUN}
