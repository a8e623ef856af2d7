package org.ocsp.modelops.group;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A set of channel indices that must be removed together: root (the first producer in graph
 * order) first, then every other member in graph order. The id is the root layer's id.
 *
 * <pre>{@code
 * for (ChannelGroup g : ChannelGroups.derive(graph)) {
 *     System.out.println(g.id() + " width " + g.width() + " " + g.members());
 * }
 * }</pre>
 */
public record ChannelGroup(String id, int width, List<GroupMember> members) {
    public ChannelGroup {
        members = List.copyOf(members);
        if (width < 1) {
            throw new IllegalArgumentException("Invalid width " + width + " for group " + id);
        }
        if (members.isEmpty() || (members.get(0).side() != Side.OUT && members.get(0).side() != Side.DEPTHWISE)) {
            throw new IllegalArgumentException("Group " + id + " must start with its producing layer, got " + members);
        }
    }

    public GroupMember root() {
        return members.get(0);
    }

    /**
     * Rejects a key that names no group, so a misspelt group id fails instead of pruning nothing.
     *
     * @param what what the keys belong to, for the message ("mask", "width map")
     */
    public static void checkKnownIds(Collection<String> ids, List<ChannelGroup> groups, String what) {
        Set<String> known = groups.stream().map(ChannelGroup::id).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String id : ids) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("Unknown group '" + id + "' in the " + what + ": the groups are " + known);
            }
        }
    }

    /** Checks a channel index against the group's width. */
    public void checkChannel(int c) {
        if (c < 0 || c >= width) {
            throw new IndexOutOfBoundsException("Channel " + c + " outside group " + id + " of width " + width);
        }
    }
}
