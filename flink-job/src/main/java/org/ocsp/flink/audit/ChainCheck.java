package org.ocsp.flink.audit;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.ocsp.flink.chain.EventChain;
import org.ocsp.flink.chain.EventSignature;
import org.ocsp.flink.chain.VerifyingKey;
import org.ocsp.schemas.avro.event.RunStarted;

/**
 * The run's hash chain and the job's signatures. Every event after RunStarted must name the
 * SHA-256 of the previous event's logged bytes ({@link EventChain}); a changed, deleted, inserted
 * or reordered event breaks the link after it, even when the sequence numbers were renumbered.
 * The job signs every event it writes; given the trusted public keys (the job's, and its earlier
 * ones after a rotation) every such event must carry a signature by one of them that verifies
 * over its bytes, and a key named in RunStarted must be the one that signed. A run restored from a checkpoint written before the chain existed starts its
 * chain later; that is noted, and an unchained event after a chained one is a mismatch.
 */
final class ChainCheck {
    private ChainCheck() {
    }

    /** @return a one-line statement of what the signatures show */
    static String run(RunLog log, List<VerifyingKey> trusted, Checks checks) {
        Map<String, VerifyingKey> keys = new LinkedHashMap<>();
        trusted.forEach(k -> keys.put(k.keyId(), k));
        boolean checking = !keys.isEmpty();
        List<LoggedEvent> events = log.ordered();
        String declared = log.findRunStarted().map(RunStarted::getSigningKeyId).map(String::valueOf).orElse(null);
        if (checking && declared != null) {
            checks.check(keys.containsKey(declared), () -> Mismatch.of(events.get(0), "RunStarted.signingKeyId",
                    "the run names key " + declared + " as its signer, which is not among the trusted keys " + keys.keySet()));
        }
        long chainStart = -1;
        Set<String> signers = new TreeSet<>();
        int unsigned = 0;
        for (int i = 1; i < events.size(); i++) {
            LoggedEvent prev = events.get(i - 1);
            LoggedEvent e = events.get(i);
            String link = e.header().getPreviousHash();
            if (link == null) {
                long start = chainStart;
                checks.check(start < 0, () -> Mismatch.of(e, "header.previousHash", "missing in " + e.describe()
                        + ", but the run's chain starts at sequence " + start + ": an event was replaced by one written "
                        + "outside the job"));
            } else {
                if (chainStart < 0) {
                    chainStart = e.sequence();
                }
                String want = EventChain.hash(prev.bytes());
                checks.check(link.equals(want), () -> Mismatch.of(e, "header.previousHash", "chain broken: "
                        + e.describe() + " names " + abbrev(link) + " as its predecessor, but " + prev.describe()
                        + " hashes to " + abbrev(want) + " (an event before it was changed, deleted, inserted or "
                        + "reordered)"));
            }
            Optional<EventSignature> sig = e.signature();
            if (sig.isEmpty()) {
                unsigned++;
                if (checking) {
                    checks.check(false, () -> Mismatch.of(e, "signature", e.describe()
                            + " is not signed; every event the job writes must be signed by a trusted key " + keys.keySet()));
                }
                continue;
            }
            EventSignature s = sig.get();
            signers.add(s.keyId());
            if (declared != null) {
                checks.check(declared.equals(s.keyId()), () -> Mismatch.of(e, "signature", e.describe()
                        + " is signed by key " + s.keyId() + ", but the run names key " + declared));
            }
            if (checking) {
                VerifyingKey k = keys.get(s.keyId());
                if (checks.check(k != null, () -> Mismatch.of(e, "signature", e.describe() + " is signed by key "
                        + s.keyId() + ", not by a trusted key " + keys.keySet()))) {
                    checks.check(k.verifies(e.bytes(), s.signature()), () -> Mismatch.of(e, "signature",
                            "the signature of " + e.describe() + " does not verify with " + k
                                    + ": the event's bytes are not the ones the job signed"));
                }
            }
        }
        if (chainStart < 0 && events.size() > 1) {
            checks.note("the log is not hash-chained (written before the chain existed)");
        } else if (chainStart > 1) {
            checks.note("the hash chain starts at sequence " + chainStart + " (the run was restored from a checkpoint "
                    + "taken before the chain existed)");
        }
        int jobEvents = events.size() - 1;
        if (checking) {
            return "signatures: " + (jobEvents - unsigned) + " of " + jobEvents + " job events signed, checked with "
                    + (keys.size() == 1 ? keys.values().iterator().next() : "trusted keys " + keys.keySet());
        }
        if (signers.isEmpty()) {
            return "UNSIGNED: no event carries a signature (the job ran without a signing key); the hash chain shows "
                    + "edits only to a reader who trusts this copy";
        }
        return "signed by " + (signers.size() == 1 ? "key " : "keys ") + String.join(", ", signers)
                + " - NOT CHECKED: pass --public-key FILE to check the signatures";
    }

    private static String abbrev(String hash) {
        return hash.length() > 16 ? hash.substring(0, 16) + "..." : hash;
    }
}
