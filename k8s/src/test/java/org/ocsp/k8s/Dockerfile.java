package org.ocsp.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Dockerfile read statically (there is no Docker engine here): instructions per build stage,
 * line continuations joined, {@code ${ARG}} defaults from before the first FROM substituted.
 *
 * <pre>{@code
 * Dockerfile d = Dockerfile.read(Path.of("deploy/docker/Dockerfile"));
 * d.finalStage().from();            // "flink:2.2.1-java17"
 * d.finalStage().all("COPY");
 * }</pre>
 */
public final class Dockerfile {
    /** One instruction: keyword (upper case) and its arguments. */
    public static final class Instruction {
        public final String keyword;
        public final String args;

        Instruction(String keyword, String args) {
            this.keyword = keyword;
            this.args = args;
        }

        @Override
        public String toString() {
            return keyword + " " + args;
        }
    }

    /** A build stage: its FROM image, optional name and instructions. */
    public static final class Stage {
        private final String from;
        private final String name;
        private final List<Instruction> instructions = new ArrayList<>();

        Stage(String from, String name) {
            this.from = from;
            this.name = name;
        }

        public String from() {
            return from;
        }

        public String name() {
            return name;
        }

        public List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword.equals(keyword)).map(i -> i.args).collect(Collectors.toList());
        }

        /** The last instruction of a kind, as Docker applies it (USER, ENTRYPOINT...). */
        public String last(String keyword) {
            List<String> found = all(keyword);
            if (found.isEmpty()) {
                throw new IllegalStateException("Stage " + from + " has no " + keyword);
            }
            return found.get(found.size() - 1);
        }
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> globalArgs;
    private final List<Stage> stages;

    private Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {
        this.globalArgs = globalArgs;
        this.stages = stages;
    }

    public static Dockerfile read(Path file) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Yaml.read(file).split("\n", -1)) {
            String t = line.strip();
            if (current.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (t.startsWith("#")) {
                continue;   // comment inside a continued instruction
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
            } else {
                current.append(t);
                logical.add(current.toString().strip());
                current.setLength(0);
            }
        }
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        for (String l : logical) {
            int space = l.indexOf(' ');
            String keyword = (space < 0 ? l : l.substring(0, space)).toUpperCase(Locale.ROOT);
            String args = space < 0 ? "" : l.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                String[] parts = args.split("\\s+");
                String image = substitute(parts[0], globalArgs);
                String name = parts.length >= 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : null;
                stages.add(new Stage(image, name));
            } else if (stages.isEmpty()) {
                if (!keyword.equals("ARG")) {
                    throw new IllegalArgumentException(file + ": " + keyword + " before the first FROM");
                }
                String[] kv = args.split("=", 2);
                globalArgs.put(kv[0], kv.length > 1 ? kv[1] : "");
            } else {
                stages.get(stages.size() - 1).instructions.add(new Instruction(keyword, args));
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(file + " has no FROM");
        }
        return new Dockerfile(globalArgs, stages);
    }

    private static String substitute(String s, Map<String, String> args) {
        Matcher m = VAR.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = args.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No default for ARG " + m.group(1) + " in " + s);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    public Map<String, String> globalArgs() {
        return globalArgs;
    }

    public Stage stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("No build stage named " + name));
    }

    /** The stage that becomes the image. */
    public Stage finalStage() {
        return stages.get(stages.size() - 1);
    }
}
