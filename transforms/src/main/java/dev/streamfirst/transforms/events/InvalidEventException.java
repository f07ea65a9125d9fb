package dev.streamfirst.transforms.events;

/** Why a payload is not a valid event; its message becomes the dead letter's {@code error}. */
public final class InvalidEventException extends Exception {
  public InvalidEventException(String reason) {
    super(reason);
  }
}
