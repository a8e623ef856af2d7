#!/usr/bin/env bash
# Builds the job and lays out what the job image copies (the Dockerfiles' build stage runs it):
#   OUT/lib     ND4J, JavaCPP and everything they need: goes to /opt/flink/lib, loaded parent-first
#               (classloader.parent-first-patterns.additional: org.nd4j.;org.bytedeco.)
#   OUT/usrlib  the job jar and the rest of its runtime class path: goes to /opt/flink/usrlib
#   OUT/cuda    (with -Pcuda only) the CUDA 11.6 runtime libraries for ND4J's CUDA backend
#
# Usage, from anywhere:
#   deploy/docker/assemble.sh OUT            # CPU image
#   deploy/docker/assemble.sh OUT -Pcuda     # GPU image
#   deploy/docker/assemble.sh --split JOB_DEPS ND4J_LIB FLINK_DIST JOB_JAR OUT   # the split alone (tests)
set -euo pipefail

# split JOB_DEPS ND4J_LIB FLINK_DIST JOB_JAR OUT: the job's runtime jars minus what lib/ has
# (ND4J and its dependencies, and Flink's distribution) go to usrlib/. Jar names carry their group
# id (copy-dependencies with prependGroupId), so the same jar has the same name everywhere.
split() {
  local job_deps=$1 nd4j_lib=$2 flink_dist=$3 job_jar=$4 out=$5
  mkdir -p "$out/lib" "$out/usrlib"
  cp "$nd4j_lib"/*.jar "$out/lib/"
  cp "$job_jar" "$out/usrlib/"
  local jar name
  for jar in "$job_deps"/*.jar; do
    name=$(basename "$jar")
    case "$name" in
      # In the base image's lib/ (and parent-first): logging, and ND4J/JavaCPP (copied above).
      org.slf4j.*|org.apache.logging.log4j.*|org.nd4j.*|org.bytedeco.*) ;;
      *) if [ ! -e "$out/lib/$name" ] && [ ! -e "$flink_dist/$name" ]; then cp "$jar" "$out/usrlib/"; fi ;;
    esac
  done
}

if [ "${1:-}" = "--split" ]; then
  shift
  split "$@"
  exit 0
fi

out=${1:?usage: assemble.sh OUT [maven options such as -Pcuda]}
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Maven 3.8: dependency goals resolve sibling modules only together with a phase (stack.md trap 9).
mvn -B -q "$@" -DskipTests -f "$repo/pom.xml" -pl flink-job -am package dependency:copy-dependencies \
  -DincludeScope=runtime -Dmdep.prependGroupId=true -DoutputDirectory="$work/job-deps"
mvn -B -q "$@" -f "$repo/deploy/docker/nd4j-lib/pom.xml" package
mvn -B -q -f "$repo/deploy/docker/flink-dist/pom.xml" package

version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$repo/flink-job/pom.xml" | head -1)
split "$work/job-deps" "$repo/deploy/docker/nd4j-lib/target/lib" "$repo/deploy/docker/flink-dist/target/lib" \
  "$repo/flink-job/target/flink-job-$version.jar" "$out"

mkdir -p "$out/cuda"
if [ -d "$repo/deploy/docker/nd4j-lib/target/cuda/org/bytedeco/cuda/linux-x86_64" ]; then
  cp -a "$repo/deploy/docker/nd4j-lib/target/cuda/org/bytedeco/cuda/linux-x86_64/." "$out/cuda/"
fi
echo "lib: $(ls "$out/lib" | wc -l) jars, usrlib: $(ls "$out/usrlib" | wc -l) jars, cuda: $(ls "$out/cuda" | wc -l) files"
