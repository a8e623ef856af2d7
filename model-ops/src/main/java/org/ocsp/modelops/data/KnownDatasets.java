package org.ocsp.modelops.data;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The datasets this project reads itself, by the name runs and batches carry, with the
 * normalisation its publisher applies: what an exported model states its inputs must be.
 */
public final class KnownDatasets {
    private static final Map<String, Normalization> NORMALIZATIONS = Map.of(
            FashionMnist.NAME, FashionMnist.NORMALIZATION,
            Cifar10.NAME, Cifar10.NORMALIZATION);

    private KnownDatasets() {
    }

    /** The normalisation of a known dataset; empty for a dataset this project does not publish itself (or none named). */
    public static Optional<Normalization> normalization(String datasetName) {
        if (datasetName == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(NORMALIZATIONS.get(datasetName.trim().toLowerCase(Locale.ROOT)));
    }

    /** The known names, sorted. */
    public static java.util.List<String> names() {
        return NORMALIZATIONS.keySet().stream().sorted().toList();
    }
}
