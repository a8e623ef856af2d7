package org.ocsp.modelops.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ocsp.modelops.arch.Architectures;
import org.ocsp.modelops.data.FashionMnist;
import org.ocsp.modelops.export.ExportFormat;
import org.ocsp.modelops.export.ExportMetadata;
import org.ocsp.modelops.export.Safetensors;
import org.ocsp.modelops.graph.LayerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code model-ops bench export-check --out DIR}: the inputs of the PyTorch side of the export
 * check ({@code bench/pytorch_export_check.py}, run by {@code bench/check-pytorch-export.sh}).
 * For every architecture, dense and pruned ({@link ExportSamples}), it writes the three exports
 * ({@code NAME.onnx}, {@code NAME.safetensors}, {@code NAME.py}) and {@code NAME.check.safetensors}
 * with the real test images it was given ({@code input}) and model-ops' logits on them
 * ({@code logits}); {@code index.txt} lists the names.
 */
@Command(name = "export-check", mixinStandardHelpOptions = true,
        description = "Write every architecture's exports (dense and pruned) with model-ops' logits on real "
                + "Fashion-MNIST images, for the PyTorch check (bench/check-pytorch-export.sh).")
public final class ExportCheckCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "Directory to write into.")
    Path out;

    @Option(names = "--images", description = "Test images per model (default: ${DEFAULT-VALUE}).")
    int images = 8;

    @Option(names = "--arch", split = ",", description = "Architectures (default: all).")
    List<String> architectures = Architectures.names();

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        ExportMetadata meta = ExportMetadata.builder().setNormalization(FashionMnist.NORMALIZATION).build();
        StringBuilder index = new StringBuilder();
        for (String arch : architectures) {
            for (boolean pruned : new boolean[] {false, true}) {
                String name = arch.replace('-', '_') + (pruned ? "_pruned" : "_dense");
                try (ExportSamples.Sample s = ExportSamples.build(arch, pruned, 11)) {
                    for (ExportFormat f : ExportFormat.values()) {
                        f.write(out.resolve(name + "." + f.extension()), s.graph(), s.params(), meta);
                    }
                    LayerSpec.Input in = s.graph().inputSpec();
                    float[] x = ExportSamples.images(images, in);
                    Map<String, Safetensors.Tensor> check = new LinkedHashMap<>();
                    check.put("input", new Safetensors.Tensor(new long[] {images, in.channels(), in.height(), in.width()}, x));
                    check.put("logits", new Safetensors.Tensor(new long[] {images, s.graph().numClasses()},
                            s.logits(x, images)));
                    Files.write(out.resolve(name + ".check.safetensors"), Safetensors.encode(check, Map.of()));
                }
                index.append(name).append('\n');
                System.out.println("wrote " + name);
            }
        }
        Files.writeString(out.resolve("index.txt"), index);
        return 0;
    }
}
