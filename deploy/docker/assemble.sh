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
#   deploy/docker/assemble.sh --split JOB_DEPS ND4J_LIB FLINK_DIST OUT   # the split alone (tests)
set -euo pipefail

# split JOB_DEPS ND4J_LIB FLINK_DIST OUT: the job's runtime jars (the job jar among them) minus
# what lib/ has (ND4J and its dependencies, and Flink's distribution) go to usrlib/. Jar names
# carry their group id (copy-dependencies with prependGroupId), so the same jar has the same name
# everywhere; the job jar itself is named flink-job-VERSION.jar, as the FlinkDeployment's jarURI.
split() {
  local job_deps=$1 nd4j_lib=$2 flink_dist=$3 out=$4
  mkdir -p "$out/lib" "$out/usrlib"
  cp "$nd4j_lib"/*.jar "$out/lib/"
  local jar name
  for jar in "$job_deps"/*.jar; do
    name=$(basename "$jar")
    case "$name" in
      org.ocsp.flink-job-*) cp "$jar" "$out/usrlib/${name#org.ocsp.}" ;;
      # In the base image's lib/ (and parent-first): logging, and ND4J/JavaCPP (copied above).
      org.slf4j.*|org.apache.logging.log4j.*|org.nd4j.*|org.bytedeco.*) ;;
      *) if [ ! -e "$out/lib/$name" ] && [ ! -e "$flink_dist/$name" ]; then cp "$jar" "$out/usrlib/"; fi ;;
    esac
  done
  ls "$out/usrlib"/flink-job-*.jar > /dev/null
}

if [ "${1:-}" = "--split" ]; then
  shift
  split "$@"
  exit 0
fi

out=${1:?usage: assemble.sh OUT [maven options such as -Pcuda]}
shift
repo=$(cd "$(dirname "$0")/../.." && pwd)

# The job and its modules into the local repository, then the three class paths: the job's
# (without the demo's in-process broker), ND4J's, and what Flink's distribution already has.
mvn -B -q "$@" -DskipTests -f "$repo/pom.xml" -pl flink-job -am install
mvn -B -q "$@" -f "$repo/deploy/docker/job-deps/pom.xml" package
mvn -B -q "$@" -f "$repo/deploy/docker/nd4j-lib/pom.xml" package
mvn -B -q -f "$repo/deploy/docker/flink-dist/pom.xml" package

split "$repo/deploy/docker/job-deps/target/lib" "$repo/deploy/docker/nd4j-lib/target/lib" \
  "$repo/deploy/docker/flink-dist/target/lib" "$out"

mkdir -p "$out/cuda"
if [ -d "$repo/deploy/docker/nd4j-lib/target/cuda/org/bytedeco/cuda/linux-x86_64" ]; then
  cp -a "$repo/deploy/docker/nd4j-lib/target/cuda/org/bytedeco/cuda/linux-x86_64/." "$out/cuda/"
fi
echo "lib: $(ls "$out/lib" | wc -l) jars, usrlib: $(ls "$out/usrlib" | wc -l) jars, cuda: $(ls "$out/cuda" | wc -l) files"
