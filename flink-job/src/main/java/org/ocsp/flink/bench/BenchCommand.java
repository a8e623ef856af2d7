package org.ocsp.flink.bench;

import picocli.CommandLine.Command;

/** {@code ocsp bench}: measurements of the streaming job (not tests: they print numbers, they assert nothing). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {StreamingBenchCommand.class, EventSizeBenchCommand.class},
        description = "Benchmarks of the streaming job on this machine.")
public final class BenchCommand {
}
