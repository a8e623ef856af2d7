package org.ocsp.flink.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Median, minimum and maximum of a sample (the median of an even count is the mean of the two
 * middle values).
 *
 * <pre>{@code
 * Summary s = Summary.of(List.of(3.0, 1.0, 2.0));   // median 2, min 1, max 3
 * }</pre>
 */
record Summary(int count, double median, double min, double max) {
    static Summary of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Cannot summarise an empty sample");
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Summary(n, median, v.get(0), v.get(n - 1));
    }
}
