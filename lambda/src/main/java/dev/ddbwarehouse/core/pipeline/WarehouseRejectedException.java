package dev.ddbwarehouse.core.pipeline;

/**
 * The database refused a batch's data (a constraint or data exception), not its connection:
 * retrying the same batch fails again, so the processor isolates the records at fault.
 */
public final class WarehouseRejectedException extends RuntimeException {

  private final String sqlState;

  public WarehouseRejectedException(String sqlState, Throwable cause) {
    super("warehouse rejected the batch (SQLSTATE " + sqlState + ")", cause);
    this.sqlState = sqlState;
  }

  public String sqlState() {
    return sqlState;
  }
}
