package org.ocsp.modelops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ocsp.modelops.data.KnownDatasets;
import org.ocsp.modelops.data.Normalization;
import org.ocsp.modelops.export.ExportFormat;
import org.ocsp.modelops.export.ExportMetadata;
import org.ocsp.modelops.io.ModelFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code model-ops export}: a saved model as ONNX, safetensors, or the PyTorch module that loads it. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a saved model (.ocsp) for other runtimes: ONNX (opset 17), safetensors weights under "
                + "PyTorch names, or the Python module that builds the pruned nn.Module and loads them.")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "onnx, safetensors or pytorch-script.",
            converter = FormatConverter.class)
    ExportFormat format;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.ocsp).")
    Path model;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write.")
    Path out;

    @ArgGroup(exclusive = true, multiplicity = "1")
    InputNormalization normalization;

    @Option(names = "--run-id", description = "The run that trained the model (stated in the metadata).")
    String runId;

    @Option(names = "--config-hash", description = "The run's configuration hash (stated in the metadata).")
    String configHash;

    @Option(names = "--chain-head", description = "SHA-256 of the run's last logged event the model depends on.")
    String chainHead;

    /** How the model's inputs were normalised: a known dataset's rule, or explicit values. */
    static final class InputNormalization {
        @Option(names = "--dataset", description = "The dataset the model was trained on (its publisher's "
                + "normalisation): fashion-mnist or cifar10.")
        String dataset;

        @ArgGroup(exclusive = false)
        Explicit explicit;

        static final class Explicit {
            @Option(names = "--mean", split = ",", required = true, description = "Per-channel mean on the 0..1 scale.")
            double[] mean;

            @Option(names = "--std", split = ",", required = true, description = "Per-channel standard deviation.")
            double[] std;
        }

        Normalization resolve() {
            if (dataset != null) {
                return KnownDatasets.normalization(dataset).orElseThrow(() -> new IllegalArgumentException(
                        "Unknown dataset '" + dataset + "': known are " + KnownDatasets.names()
                                + "; give --mean and --std instead"));
            }
            return Normalization.of(explicit.mean, explicit.std);
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ExportFormat> {
        @Override
        public ExportFormat convert(String value) {
            return ExportFormat.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    @Override
    public Integer call() throws Exception {
        ExportMetadata.Builder meta = ExportMetadata.builder().setNormalization(normalization.resolve());
        if (runId != null) {
            meta.optRun(runId, configHash);
        }
        meta.optChainHead(chainHead);
        try (ModelFile.Loaded m = ModelFile.load(model)) {
            String sha = format.write(out, m.graph(), m.params(), meta.build());
            System.out.printf("%s: %s, %d bytes, sha256 %s%n", format.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-'), out.toAbsolutePath(), Files.size(out), sha);
        }
        return 0;
    }
}
