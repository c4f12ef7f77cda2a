package dev.ddbwarehouse.lambda;

import java.util.function.Supplier;

/** A value made on first use and kept: an AWS client only where the configuration needs one. */
final class Once<T> implements Supplier<T> {

  private final Supplier<T> make;
  private T value;

  private Once(Supplier<T> make) {
    this.make = make;
  }

  static <T> Supplier<T> of(Supplier<T> make) {
    return new Once<>(make);
  }

  @Override
  public synchronized T get() {
    if (value == null) value = make.get();
    return value;
  }
}
