package org.ocsp.modelops.selection;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A sub-network: for every prunable channel group (by group id, in graph order) the sorted
 * ORIGINAL channel indices that are kept. Immutable.
 *
 * <pre>{@code
 * SubnetworkMask m = SubnetworkMask.builder().put("conv1", new int[] {0, 2, 3}).build();
 * }</pre>
 */
public final class SubnetworkMask {
    private final Map<String, int[]> kept;

    private SubnetworkMask(Map<String, int[]> kept) {
        this.kept = kept;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Group ids in graph order. */
    public java.util.Set<String> groupIds() {
        return kept.keySet();
    }

    /** Sorted kept indices of one group (a copy). */
    public int[] kept(String groupId) {
        int[] k = kept.get(groupId);
        if (k == null) {
            throw new IllegalArgumentException("Unknown group '" + groupId + "' in mask with groups " + kept.keySet());
        }
        return k.clone();
    }

    public int keptCount(String groupId) {
        return kept(groupId).length;
    }

    public Map<String, int[]> asMap() {
        Map<String, int[]> copy = new LinkedHashMap<>();
        kept.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SubnetworkMask other) || !kept.keySet().equals(other.kept.keySet())) {
            return false;
        }
        for (Map.Entry<String, int[]> e : kept.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.kept.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<String, int[]> e : kept.entrySet()) {
            h = 31 * h + Objects.hash(e.getKey()) * 17 + Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SubnetworkMask{");
        kept.forEach((k, v) -> sb.append(k).append('=').append(v.length).append(' '));
        return sb.append('}').toString();
    }

    public static final class Builder {
        private final Map<String, int[]> kept = new LinkedHashMap<>();

        /** Adds a group; indices are copied, sorted and checked for duplicates and negatives. */
        public Builder put(String groupId, int[] keptIndices) {
            Objects.requireNonNull(groupId, "groupId");
            if (kept.containsKey(groupId)) {
                throw new IllegalArgumentException("Duplicate group '" + groupId + "' in mask");
            }
            int[] s = keptIndices.clone();
            Arrays.sort(s);
            for (int i = 0; i < s.length; i++) {
                if (s[i] < 0 || (i > 0 && s[i] == s[i - 1])) {
                    throw new IllegalArgumentException("Invalid kept indices for group '" + groupId + "': "
                            + Arrays.toString(keptIndices) + " (negative or duplicate)");
                }
            }
            kept.put(groupId, s);
            return this;
        }

        public SubnetworkMask build() {
            return new SubnetworkMask(Collections.unmodifiableMap(new LinkedHashMap<>(kept)));
        }
    }
}
