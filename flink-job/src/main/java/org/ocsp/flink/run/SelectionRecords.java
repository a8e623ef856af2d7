package org.ocsp.flink.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ocsp.modelops.group.ChannelGroup;
import org.ocsp.modelops.saliency.GroupScores;
import org.ocsp.modelops.selection.Selection;
import org.ocsp.modelops.selection.SubnetworkMask;
import org.ocsp.schemas.avro.event.GroupMask;
import org.ocsp.schemas.avro.event.GroupScoreList;
import org.ocsp.schemas.avro.event.SelectionInputs;

/**
 * A mask's kept channels ({@link GroupMask}) and a selection's inputs and outcome as logged in a MaskSnapshot ({@link SelectionInputs}), and back:
 * the stability operator writes them, the audit selects the mask again from them. Scores are
 * float32 both ways, which is exact because the selection ranked float32 values
 * ({@link GroupScores#toFloat32()}).
 */
public final class SelectionRecords {
    /** Prefix of MaskSnapshot.saliencyDigest: the first 16 hex digits of {@link GroupScores#digest()}. */
    public static final String DIGEST_PREFIX = "sha256/16:";

    private SelectionRecords() {
    }

    public static SelectionInputs inputs(List<ChannelGroup> groups, GroupScores scores, Selection selection) {
        List<GroupScoreList> lists = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String g = groups.get(i).id();
            double[] v = scores.of(g);
            List<Float> f = new ArrayList<>(v.length);
            for (double d : v) {
                f.add((float) d);
            }
            lists.add(GroupScoreList.newBuilder().setGroupId(g).setScores(f)
                    .setProtectedCount(selection.protectedCounts().get(i)).build());
        }
        return SelectionInputs.newBuilder().setGroupScores(lists)
                .setThreshold(selection.threshold().isPresent() ? selection.threshold().getAsDouble() : null)
                .setFlops(selection.flops()).setDenseFlops(selection.denseFlops()).build();
    }

    /** The kept channels of the mask's groups, in the network's group order (groups the mask leaves out are skipped). */
    public static List<GroupMask> groupMasks(List<ChannelGroup> groups, SubnetworkMask mask) {
        List<GroupMask> out = new ArrayList<>();
        for (ChannelGroup g : groups) {
            if (!mask.groupIds().contains(g.id())) {
                continue;
            }
            List<Integer> kept = new ArrayList<>();
            for (int i : mask.kept(g.id())) {
                kept.add(i);
            }
            out.add(GroupMask.newBuilder().setGroupId(g.id()).setOriginalWidth(g.width()).setKept(kept).build());
        }
        return out;
    }

    /** The logged scores, in logged group order. */
    public static GroupScores scores(SelectionInputs inputs) {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (GroupScoreList g : inputs.getGroupScores()) {
            List<Float> f = g.getScores();
            double[] v = new double[f.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.get(i);
            }
            m.put(String.valueOf(g.getGroupId()), v);
        }
        return new GroupScores(m);
    }
}
