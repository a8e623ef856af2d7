package org.ocsp.flink.cli;

import java.util.Optional;
import org.ocsp.flink.run.RunIds;
import picocli.CommandLine;

/** A run id option, checked as it is parsed ({@link RunIds}): an invalid one is a usage error. */
public final class RunIdConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
        Optional<String> p = RunIds.problem(value);
        if (p.isPresent()) {
            throw new CommandLine.TypeConversionException(p.get());
        }
        return value;
    }
}
