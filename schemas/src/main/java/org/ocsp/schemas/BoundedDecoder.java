package org.ocsp.schemas;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over a byte range that never allocates more than the range can hold.
 *
 * <p>Avro's own decoders allocate a string, bytes or array as large as its length prefix says
 * (up to 2 GB) before finding out the data is not there. For untrusted input (a corrupted record,
 * or a body that does not match the schema its header names) that turns into an OutOfMemoryError
 * instead of a dead letter. Here every length prefix and item count is checked against the bytes
 * left: a string or bytes value cannot be longer than what remains, and every array or map item of
 * our schemas takes at least one byte.
 */
final class BoundedDecoder extends Decoder {

  private final ByteArrayInputStream input;
  private final BinaryDecoder binary;

  BoundedDecoder(byte[] bytes, int offset, int length) {
    this.input = new ByteArrayInputStream(bytes, offset, length);
    this.binary = DecoderFactory.get().directBinaryDecoder(input, null);
  }

  /** Bytes not consumed yet. */
  int remaining() {
    return input.available();
  }

  private int checkedLength(long length, String what) throws IOException {
    if (length < 0) {
      throw new IOException("Negative " + what + " length " + length);
    }
    if (length > remaining()) {
      throw new EOFException(
          what + " length " + length + " exceeds the " + remaining() + " bytes left in the record");
    }
    return (int) length;
  }

  private long checkedCount(long count, String what) throws IOException {
    if (count > remaining()) {
      throw new EOFException(
          what + " of " + count + " items cannot fit in the " + remaining() + " bytes left in the record");
    }
    return count;
  }

  @Override
  public void readNull() throws IOException {
    binary.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return binary.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return binary.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return binary.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return binary.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return binary.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength(binary.readLong(), "string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    binary.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = checkedLength(binary.readLong(), "string");
    byte[] utf8 = new byte[length];
    binary.readFixed(utf8, 0, length);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    binary.skipFixed(checkedLength(binary.readLong(), "string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checkedLength(binary.readLong(), "bytes");
    ByteBuffer result;
    if (old != null && length <= old.capacity()) {
      result = old;
      result.clear();
    } else {
      result = ByteBuffer.allocate(length);
    }
    binary.readFixed(result.array(), result.arrayOffset() + result.position(), length);
    result.limit(length);
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    binary.skipFixed(checkedLength(binary.readLong(), "bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    binary.readFixed(bytes, start, checkedLength(length, "fixed"));
  }

  @Override
  public void skipFixed(int length) throws IOException {
    binary.skipFixed(checkedLength(length, "fixed"));
  }

  @Override
  public int readEnum() throws IOException {
    return binary.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(binary.readArrayStart(), "array block");
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(binary.arrayNext(), "array block");
  }

  @Override
  public long skipArray() throws IOException {
    return checkedCount(binary.skipArray(), "array block");
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(binary.readMapStart(), "map block");
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(binary.mapNext(), "map block");
  }

  @Override
  public long skipMap() throws IOException {
    return checkedCount(binary.skipMap(), "map block");
  }

  @Override
  public int readIndex() throws IOException {
    return binary.readIndex();
  }
}
