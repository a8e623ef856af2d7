package org.ocsp.modelops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocsp.modelops.bench.ExportSamples;
import org.ocsp.modelops.export.Safetensors;
import org.ocsp.modelops.group.ChannelGroups;
import org.ocsp.modelops.io.ModelFile;
import org.ocsp.modelops.surgery.ChannelProvenance;
import picocli.CommandLine;

class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void exportsASavedPrunedModelInEveryFormatWithTheNormalisationItWasGiven() throws Exception {
        Path model = dir.resolve("model.ocsp");
        try (ExportSamples.Sample s = ExportSamples.build("mobile-tiny-residual", true, 2)) {
            ModelFile.save(model, s.graph(), s.params(), ChannelProvenance.identity(ChannelGroups.derive(s.graph())));
        }
        assertEquals(0, run("--format", "onnx", "--dataset", "fashion-mnist", "--run-id", "r1", "--config-hash", "h",
                model.toString(), dir.resolve("m.onnx").toString()));
        OnnxMl.ModelProto onnx = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(dir.resolve("m.onnx")));
        Map<String, String> meta = new HashMap<>();
        onnx.getMetadataPropsList().forEach(p -> meta.put(p.getKey(), p.getValue()));
        assertEquals("0.286", meta.get("ocsp.normalization.mean"));
        assertEquals("r1", meta.get("ocsp.run_id"));
        assertEquals("mobile-tiny-residual", meta.get("ocsp.architecture"));

        assertEquals(0, run("--format", "safetensors", "--mean", "0.5", "--std", "0.25", model.toString(),
                dir.resolve("m.safetensors").toString()));
        assertEquals("0.5", Safetensors.read(dir.resolve("m.safetensors")).metadata().get("ocsp.normalization.mean"));

        assertEquals(0, run("--format", "pytorch-script", "--dataset", "fashion-mnist", model.toString(),
                dir.resolve("m.py").toString()));
        String py = Files.readString(dir.resolve("m.py"));
        assertTrue(py.contains("class PrunedNet(nn.Module)") && py.contains("\"conv2d\""), py);
    }

    @Test
    void refusesAnExportThatDoesNotSayHowInputsAreNormalised() throws Exception {
        Path model = dir.resolve("model.ocsp");
        try (ExportSamples.Sample s = ExportSamples.build("fashion-vgg", false, 2)) {
            ModelFile.save(model, s.graph(), s.params(), ChannelProvenance.identity(ChannelGroups.derive(s.graph())));
        }
        assertNotEquals(0, run("--format", "onnx", model.toString(), dir.resolve("m.onnx").toString()));
        assertNotEquals(0, run("--format", "onnx", "--dataset", "imagenet", model.toString(),
                dir.resolve("m.onnx").toString()));
        assertTrue(Files.notExists(dir.resolve("m.onnx")));
    }

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ModelOpsCli());
        cli.setErr(new PrintWriter(err));
        return cli.execute(prepend("export", args));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
