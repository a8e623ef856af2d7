package org.ocsp.schemas;

import java.util.OptionalLong;

/**
 * Bytes that {@link EventCodec} cannot turn into a record. The input is bad, not the reader: route
 * the bytes to the dead-letter topic with {@link #getClass()} and {@link #getMessage()}.
 *
 * <pre>{@code
 * try {
 *   return codec.decode(value);
 * } catch (UnreadableRecordException e) {
 *   deadLetters.add(e.reason(), e.getMessage(), value);
 * }
 * }</pre>
 */
public final class UnreadableRecordException extends Exception {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the bytes. */
  public enum Reason {
    /** No single-object header: null or too short, or the first two bytes are not C3 01. */
    NOT_SINGLE_OBJECT,
    /** The header's schema fingerprint is not a known version of any record type. */
    UNKNOWN_SCHEMA,
    /** A known record, but not the type the caller asked for. */
    UNEXPECTED_TYPE,
    /** The body does not decode with the schema the header names: truncated, corrupted, or trailing bytes. */
    MALFORMED_BODY
  }

  private final Reason reason;
  private final Long fingerprint;

  UnreadableRecordException(Reason reason, Long fingerprint, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.fingerprint = fingerprint;
  }

  /** What is wrong with the bytes. */
  public Reason reason() {
    return reason;
  }

  /** The schema fingerprint of the header, when the bytes had a complete header. */
  public OptionalLong fingerprint() {
    return fingerprint == null ? OptionalLong.empty() : OptionalLong.of(fingerprint);
  }
}
