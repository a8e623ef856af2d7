package org.ocsp.modelops.group;

import java.util.List;

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

    /** Checks a channel index against the group's width. */
    public void checkChannel(int c) {
        if (c < 0 || c >= width) {
            throw new IndexOutOfBoundsException("Channel " + c + " outside group " + id + " of width " + width);
        }
    }
}
