package org.ocsp.modelops.setting;

import java.util.Collection;
import java.util.Optional;

/**
 * Checks one value of a {@link Setting}; answers why a value is rejected, or nothing when it is fine.
 *
 * <pre>{@code
 * Validator<Number> v = Validator.atLeast(1);
 * v.rejection(0);   // Optional[must be >= 1]
 * }</pre>
 */
@FunctionalInterface
public interface Validator<T> {
    /** The reason {@code value} is not allowed, to follow "Invalid value V for configuration N: ". */
    Optional<String> rejection(T value);

    /** This validator with {@code why} after its reason, e.g. "must be >= 1 (s_t compares M_t with an earlier mask)". */
    default Validator<T> because(String why) {
        return v -> rejection(v).map(reason -> reason + " " + why);
    }

    static <T> Validator<T> any() {
        return v -> Optional.empty();
    }

    static Validator<Number> atLeast(long min) {
        return v -> v.longValue() >= min ? Optional.empty() : Optional.of("must be >= " + min);
    }

    /** Open interval (low, high). */
    static Validator<Number> between(double low, double high) {
        return v -> v.doubleValue() > low && v.doubleValue() < high ? Optional.empty()
                : Optional.of("must be in (" + low + ", " + high + ")");
    }

    /** Half-open interval [low, high). */
    static Validator<Number> fromUntil(double low, double high) {
        return v -> v.doubleValue() >= low && v.doubleValue() < high ? Optional.empty()
                : Optional.of("must be in [" + low + ", " + high + ")");
    }

    /** Half-open interval (low, high]. */
    static Validator<Number> aboveUpTo(double low, double high) {
        return v -> v.doubleValue() > low && v.doubleValue() <= high ? Optional.empty()
                : Optional.of("must be in (" + low + ", " + high + "]");
    }

    static Validator<Number> positiveFinite() {
        return v -> Double.isFinite(v.doubleValue()) && v.doubleValue() > 0 ? Optional.empty()
                : Optional.of("must be finite and > 0");
    }

    static Validator<Number> nonNegativeFinite() {
        return v -> Double.isFinite(v.doubleValue()) && v.doubleValue() >= 0 ? Optional.empty()
                : Optional.of("must be finite and >= 0");
    }

    /** One of {@code known}, ignoring case (architecture names are matched that way). */
    static Validator<String> oneOfIgnoringCase(Collection<String> known) {
        return v -> known.stream().anyMatch(k -> k.equalsIgnoreCase(v)) ? Optional.empty()
                : Optional.of("known are " + known);
    }
}
