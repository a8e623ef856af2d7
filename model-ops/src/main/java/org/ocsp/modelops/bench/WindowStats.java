package org.ocsp.modelops.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Images/s of repeated timing windows: median, min and max. */
public record WindowStats(List<Double> windows) {
    public WindowStats {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("No windows measured");
        }
        windows = List.copyOf(windows);
    }

    private List<Double> sorted() {
        List<Double> s = new ArrayList<>(windows);
        Collections.sort(s);
        return s;
    }

    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        List<Double> s = sorted();
        return s.get(s.size() - 1);
    }

    /** The median of the per-window ratios {@code this / base}: robust to a load change that hits both sides of a window. */
    public double medianRatioTo(WindowStats base) {
        if (base.windows.size() != windows.size()) {
            throw new IllegalArgumentException("Windows differ: " + windows.size() + " against " + base.windows.size());
        }
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            r.add(windows.get(i) / base.windows.get(i));
        }
        return new WindowStats(r).median();
    }
}
