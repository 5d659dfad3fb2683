#!/usr/bin/env bash
# JMH benchmarks of the hot path: the codec (CodecBenchmark) and the timing tables and summarizer
# (SummarizerBenchmark). Arguments go to JMH, e.g. bench/jmh.sh CodecBenchmark -f 1 -wi 2 -i 3
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cp=target/jmh.classpath
mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp"
exec java -cp "target/test-classes:target/classes:$(cat "$cp")" org.openjdk.jmh.Main "${@:-Benchmark}"
