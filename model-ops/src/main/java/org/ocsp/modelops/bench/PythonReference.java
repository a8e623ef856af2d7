package org.ocsp.modelops.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PyTorch reference script ({@code bench/pytorch_reference.py}) as a subprocess. In serve mode
 * it stays alive and runs one timing window per request, so the bench can alternate windows of
 * both frameworks in one invocation (never running both at once).
 *
 * <pre>{@code
 * try (PythonReference.Server py = ref.serve("fashion-vgg", 128)) {
 *     py.window("warmup", 5);
 *     double imagesPerSecond = py.window("window", 10);
 * }
 * }</pre>
 */
record PythonReference(Path python, Path script, int threads) {
    private static final Pattern NUMBER = Pattern.compile("-?[0-9.]+(?:[eE][-+]?[0-9]+)?");

    private ProcessBuilder builder(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "--threads", Integer.toString(threads)));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        return pb;
    }

    String commandLine(List<String> args) {
        return String.join(" ", builder(args).command());
    }

    Server serve(String arch, int batch, double lr) throws IOException {
        return serve(arch, batch, lr, null);
    }

    /** Serves the network exported to {@code weights} (a pruned one: its layers take the exported shapes). */
    Server serve(String arch, int batch, double lr, Path weights) throws IOException {
        List<String> args = new ArrayList<>(List.of("--mode", "serve", "--arch", arch, "--batch", Integer.toString(batch),
                "--lr", Double.toString(lr)));
        if (weights != null) {
            args.addAll(List.of("--weights", weights.toString()));
        }
        return new Server(builder(args).start(), commandLine(args));
    }

    /** Runs the check mode; returns PyTorch's per-step losses. */
    List<Double> check(String arch, double lr, Path dir, Path out) throws IOException, InterruptedException {
        return check(arch, lr, dir, out, false);
    }

    /** The check mode, in float64 when {@code float64} (the reference for float32 rounding noise). */
    List<Double> check(String arch, double lr, Path dir, Path out, boolean float64) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--mode", "check", "--arch", arch, "--lr", Double.toString(lr),
                "--dir", dir.toString(), "--out", out.toString()));
        if (float64) {
            args.add("--double");
        }
        Process p = builder(args).start();
        String all;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            all = String.join("\n", r.lines().toList());
        }
        if (p.waitFor() != 0) {
            throw new IOException("PyTorch check failed (exit " + p.exitValue() + "): " + commandLine(args) + "\n" + all);
        }
        return numbers(field(all, "losses"));
    }

    static String field(String json, String name) throws IOException {
        Matcher m = Pattern.compile("\"" + name + "\":\\s*(\\[[^\\]]*\\]|[^,}]+)").matcher(json);
        if (!m.find()) {
            throw new IOException("No field '" + name + "' in PyTorch's answer: " + json);
        }
        return m.group(1).trim();
    }

    static List<Double> numbers(String s) {
        List<Double> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        while (m.find()) {
            out.add(Double.parseDouble(m.group()));
        }
        return out;
    }

    /** A running serve-mode script. */
    static final class Server implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        private final String hello;

        private Server(Process process, String commandLine) throws IOException {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            this.hello = out.readLine();
            if (hello == null || !hello.contains("\"ready\"")) {
                throw new IOException("PyTorch reference did not start: " + commandLine + " answered " + hello);
            }
        }

        /** The script's start line (torch version, threads, mkldnn). */
        String hello() {
            return hello;
        }

        /** Runs {@code steps} training steps in PyTorch; returns its images/s. */
        double window(String kind, int steps) throws IOException {
            in.write(kind + " " + steps + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new IOException("PyTorch reference exited during a " + kind + " window");
            }
            return Double.parseDouble(field(line, "images_per_s"));
        }

        @Override
        public void close() throws IOException {
            try {
                in.write("quit\n");
                in.flush();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroy();
            }
        }
    }
}
