package dev.ddbwarehouse.core.policy;

import java.util.Arrays;
import java.util.Optional;

/** The warehouse columns a source attribute can feed, with the treatment each one takes. */
public enum Column {
  TRANSACTION_ID("transaction_id", Treatment.KEEP, true),
  USER_PSEUDONYM("user_pseudonym", Treatment.PSEUDONYMISE, true),
  ACCOUNT_PSEUDONYM("account_pseudonym", Treatment.PSEUDONYMISE, false),
  COUNTERPARTY_PSEUDONYM("counterparty_pseudonym", Treatment.PSEUDONYMISE, false),
  EMAIL_PSEUDONYM("email_pseudonym", Treatment.PSEUDONYMISE, false),
  PHONE_PSEUDONYM("phone_pseudonym", Treatment.PSEUDONYMISE, false),
  IP_NETWORK("ip_network", Treatment.GENERALISE_IP, false),
  AMOUNT("amount", Treatment.KEEP, true),
  CURRENCY("currency", Treatment.KEEP, true),
  TYPE("type", Treatment.KEEP, false),
  STATUS("status", Treatment.KEEP, false),
  MERCHANT_NAME("merchant_name", Treatment.KEEP, false),
  MERCHANT_CATEGORY_CODE("merchant_category_code", Treatment.KEEP, false),
  COUNTRY("country", Treatment.KEEP, false),
  TAGS("tags", Treatment.KEEP, false),
  CREATED_AT("created_at", Treatment.KEEP, true),
  /** The item's version; when absent, created_at is the version. */
  UPDATED_AT("updated_at", Treatment.KEEP, false);

  private final String sqlName;
  private final Treatment treatment;
  private final boolean required;

  Column(String sqlName, Treatment treatment, boolean required) {
    this.sqlName = sqlName;
    this.treatment = treatment;
    this.required = required;
  }

  public String sqlName() {
    return sqlName;
  }

  /** The only treatment that can produce this column's value. */
  public Treatment treatment() {
    return treatment;
  }

  /** A record without a value for a required column is quarantined. */
  public boolean required() {
    return required;
  }

  public static Optional<Column> bySqlName(String name) {
    return Arrays.stream(values()).filter(c -> c.sqlName.equals(name)).findFirst();
  }
}
