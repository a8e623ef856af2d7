package org.ocsp.flink.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionVerifierTest {
    @Test
    void cleanLogFromARealRunVerifies() {
        AuditFixture.Run run = AuditFixture.clean();
        VerificationResult r = new DecisionVerifier().verify(run.log());
        System.out.print(r.describe());
        assertTrue(r.ok(), r.describe());
        assertTrue(r.checks() > 100, "checked " + r.checks());
        assertTrue(run.reports().stream().anyMatch(x -> x.pruning().isPresent()), "fixture reaches t*");
    }
}
