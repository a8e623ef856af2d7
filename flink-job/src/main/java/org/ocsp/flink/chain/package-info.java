/**
 * The run log's tamper evidence: each event's header names the SHA-256 of the run's previous
 * event ({@link org.ocsp.flink.chain.EventChain}), and the job signs every event it writes with an
 * Ed25519 key ({@link org.ocsp.flink.chain.SigningKey}); the signature travels next to the event
 * as Kafka record headers ({@link org.ocsp.flink.chain.EventSignature}), so the event's bytes stay
 * exactly what was signed and hashed.
 */
package org.ocsp.flink.chain;
