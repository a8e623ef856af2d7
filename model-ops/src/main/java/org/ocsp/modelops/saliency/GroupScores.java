package org.ocsp.modelops.saliency;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Per-group channel scores (higher = more important), groups in graph order. */
public final class GroupScores {
    private final Map<String, double[]> scores;

    public GroupScores(Map<String, double[]> scores) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        scores.forEach((k, v) -> copy.put(k, v.clone()));
        this.scores = Collections.unmodifiableMap(copy);
    }

    public double[] of(String groupId) {
        double[] s = scores.get(groupId);
        if (s == null) {
            throw new IllegalArgumentException("No scores for group '" + groupId + "'");
        }
        return s.clone();
    }

    public java.util.Set<String> groupIds() {
        return scores.keySet();
    }

    /**
     * The scores rounded to float32: what a decision is selected from, so the scores logged with
     * it (as float32, to keep the event small) are exactly the ranking's inputs.
     */
    public GroupScores toFloat32() {
        Map<String, double[]> rounded = new LinkedHashMap<>();
        scores.forEach((g, v) -> {
            double[] r = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                r[i] = (float) v[i];
            }
            rounded.put(g, r);
        });
        return new GroupScores(rounded);
    }

    /** A short stable digest of all scores (for audit events). */
    public String digest() {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8);
            for (Map.Entry<String, double[]> e : scores.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                for (double d : e.getValue()) {
                    buf.clear();
                    buf.putDouble(d);
                    md.update(buf.array());
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
