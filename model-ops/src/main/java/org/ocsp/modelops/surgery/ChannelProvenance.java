package org.ocsp.modelops.surgery;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.selection.SubnetworkMask;

/**
 * For every group, which ORIGINAL channel each current channel came from. Dense networks map
 * every channel to itself; each surgery composes the map with the kept positions.
 *
 * <pre>{@code
 * ChannelProvenance p = ChannelProvenance.identity(groups);
 * ChannelProvenance after = p.afterSurgery(maskInCurrentPositions);
 * int[] original = after.originalIndices("layer1.0.conv1");
 * }</pre>
 */
public final class ChannelProvenance {
    private final Map<String, int[]> original;
    private final Map<String, Integer> originalWidths;

    public ChannelProvenance(Map<String, int[]> original, Map<String, Integer> originalWidths) {
        Map<String, int[]> o = new LinkedHashMap<>();
        original.forEach((k, v) -> o.put(k, v.clone()));
        this.original = Collections.unmodifiableMap(o);
        this.originalWidths = Collections.unmodifiableMap(new LinkedHashMap<>(originalWidths));
    }

    public static ChannelProvenance identity(List<ChannelGroup> groups) {
        Map<String, int[]> o = new LinkedHashMap<>();
        Map<String, Integer> w = new LinkedHashMap<>();
        for (ChannelGroup g : groups) {
            o.put(g.id(), java.util.stream.IntStream.range(0, g.width()).toArray());
            w.put(g.id(), g.width());
        }
        return new ChannelProvenance(o, w);
    }

    public ChannelProvenance afterSurgery(SubnetworkMask keptCurrentPositions) {
        Map<String, int[]> o = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : original.entrySet()) {
            if (keptCurrentPositions.groupIds().contains(e.getKey())) {
                int[] kept = keptCurrentPositions.kept(e.getKey());
                int[] mapped = new int[kept.length];
                for (int i = 0; i < kept.length; i++) {
                    mapped[i] = e.getValue()[kept[i]];
                }
                o.put(e.getKey(), mapped);
            } else {
                o.put(e.getKey(), e.getValue());
            }
        }
        return new ChannelProvenance(o, originalWidths);
    }

    public java.util.Set<String> groupIds() {
        return original.keySet();
    }

    public int[] originalIndices(String groupId) {
        int[] v = original.get(groupId);
        if (v == null) {
            throw new IllegalArgumentException("Unknown group '" + groupId + "'");
        }
        return v.clone();
    }

    public int originalWidth(String groupId) {
        return originalWidths.get(groupId);
    }

    /** The kept original channels as a mask (what an audit compares with the logged decision). */
    public SubnetworkMask asMask() {
        SubnetworkMask.Builder b = SubnetworkMask.builder();
        original.forEach(b::put);
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelProvenance p && asMask().equals(p.asMask()) && originalWidths.equals(p.originalWidths);
    }

    @Override
    public int hashCode() {
        return asMask().hashCode();
    }
}
