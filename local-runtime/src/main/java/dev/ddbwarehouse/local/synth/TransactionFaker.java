package dev.ddbwarehouse.local.synth;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Deterministic fake transactions: the same seed gives the same sequence. Customers come from a
 * pool (about one per ten transactions) so they have several transactions, as real ones do. Contact
 * data uses reserved ranges where they exist (example.* domains, 2001:db8::/32).
 */
public final class TransactionFaker {

  private static final Instant EPOCH = Instant.parse("2026-10-01T00:00:00Z");
  private static final String[] FIRST = {
    "Anna", "Jonas", "Lea", "Lukas", "Mia", "Noah", "Emma", "Elias", "Sofia", "Mateo", "Chloé",
    "Louis", "Olivia", "Liam", "Aylin", "Mehmet", "Zofia", "Jakub", "Giulia", "Lorenzo", "Ingrid",
    "Sven", "Aoife", "Cian", "Marta", "Pablo", "Eleni", "Nikos", "Hana", "Tomáš"
  };
  private static final String[] LAST = {
    "Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Dubois", "Martin", "Bernard", "Rossi",
    "Russo", "Kowalski", "Nowak", "García", "Fernández", "Murphy", "O'Brien", "Jensen", "Hansen",
    "Novák", "Papadopoulos", "Yılmaz", "Kaya", "Smith", "Jones", "Andersson", "Virtanen"
  };
  private static final String[] DOMAINS = {"example.com", "example.org", "example.net"};
  private static final String[][] MERCHANTS = {
    {"REWE Markt", "5411"}, {"Lidl", "5411"}, {"Carrefour", "5411"}, {"Shell", "5541"},
    {"Deutsche Bahn", "4112"}, {"Lufthansa", "3008"}, {"Amazon EU", "5942"}, {"Zalando", "5651"},
    {"IKEA", "5712"}, {"Spotify", "5815"}, {"Netflix", "4899"}, {"Starbucks", "5814"},
    {"Apotheke am Markt", "5912"}, {"MediaMarkt", "5732"}, {"Booking.com", "4722"}
  };
  private static final String[] CURRENCIES = {
    "EUR", "EUR", "EUR", "EUR", "USD", "GBP", "CHF", "PLN", "SEK", "JPY"
  };
  private static final String[] COUNTRIES = {
    "DE", "DE", "DE", "FR", "NL", "AT", "IT", "ES", "PL", "IE", "GB", "US"
  };
  private static final String[] TYPES = {
    "CARD_PAYMENT",
    "CARD_PAYMENT",
    "CARD_PAYMENT",
    "TRANSFER",
    "DIRECT_DEBIT",
    "ATM_WITHDRAWAL",
    "REFUND"
  };
  private static final String[] TAGS = {
    "groceries", "travel", "online", "recurring", "contactless", "fuel", "subscription", "food"
  };
  private static final String[] CHANNELS = {"ios", "android", "web", "pos"};
  private static final String[] LATER_STATUSES = {
    "BOOKED", "BOOKED", "BOOKED", "DECLINED", "REVERSED"
  };

  private final SplittableRandom random;
  private final List<FakePerson> people;
  private final List<String[]> counterparties;

  public TransactionFaker(long seed, int expectedTransactions) {
    this.random = new SplittableRandom(seed);
    int customers = Math.max(1, expectedTransactions / 10);
    this.people = new ArrayList<>(customers);
    for (int i = 0; i < customers; i++) {
      people.add(person(i));
    }
    int payees = Math.max(1, expectedTransactions / 20);
    this.counterparties = new ArrayList<>(payees);
    for (int i = 0; i < payees; i++) {
      counterparties.add(new String[] {iban(), name()});
    }
  }

  /** A new transaction, created within the 90 days before 2026-10-01, status PENDING or BOOKED. */
  public SyntheticTransaction next() {
    FakePerson person = people.get(random.nextInt(people.size()));
    String[] payee = counterparties.get(random.nextInt(counterparties.size()));
    String[] merchant = MERCHANTS[random.nextInt(MERCHANTS.length)];
    String currency = pick(CURRENCIES);
    OffsetDateTime created =
        EPOCH
            .minusMillis(random.nextLong(Duration.ofDays(90).toMillis()))
            .truncatedTo(ChronoUnit.MILLIS)
            .atOffset(ZoneOffset.ofHours(random.nextInt(3)));
    return new SyntheticTransaction(
        new UUID(random.nextLong(), random.nextLong()).toString(),
        person,
        payee[0],
        payee[1],
        ipAddress(),
        amount(currency),
        currency,
        pick(TYPES),
        random.nextInt(4) == 0 ? "PENDING" : "BOOKED",
        merchant[0],
        merchant[1],
        pick(COUNTRIES),
        tags(),
        created,
        created,
        Map.of(
            "channel", pick(CHANNELS),
            "deviceId", "dev-" + Long.toHexString(random.nextLong()),
            "riskScore", Integer.toString(random.nextInt(100))));
  }

  /** The customers this faker's transactions belong to, in a fixed order. */
  public List<FakePerson> people() {
    return List.copyOf(people);
  }

  /** The status a later update sets: mostly BOOKED, sometimes DECLINED or REVERSED. */
  public String laterStatus() {
    return pick(LATER_STATUSES);
  }

  /** How much later an update happens: 1 minute to 3 days. */
  public Duration updateDelay() {
    return Duration.ofSeconds(60 + random.nextLong(Duration.ofDays(3).toSeconds()));
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  private FakePerson person(int index) {
    String first = pick(FIRST);
    String last = pick(LAST);
    String local = ascii(first) + "." + ascii(last) + (index % 997);
    return new FakePerson(
        "usr_" + token(10),
        "acct_" + digits(12),
        first + " " + last,
        local + "@" + pick(DOMAINS),
        phone());
  }

  private String name() {
    return pick(FIRST) + " " + pick(LAST);
  }

  private String phone() {
    return switch (random.nextInt(3)) {
      case 0 -> "+49 15" + random.nextInt(10) + " " + digits(8);
      case 1 -> "+33 6 " + digits(2) + " " + digits(2) + " " + digits(2) + " " + digits(2);
      default -> "+44 7700 900" + digits(3);
    };
  }

  /** A German IBAN with correct check digits, printed in groups of four half of the time. */
  private String iban() {
    String bban = digits(18);
    BigInteger numeric = new BigInteger(bban + "131400"); // "DE" = 13 14, then "00"
    int check = 98 - numeric.mod(BigInteger.valueOf(97)).intValue();
    String iban = "DE" + String.format(Locale.ROOT, "%02d", check) + bban;
    return random.nextBoolean() ? iban : iban.replaceAll("(.{4})(?!$)", "$1 ");
  }

  private String ipAddress() {
    if (random.nextInt(10) == 0) {
      return String.format(
          Locale.ROOT,
          "2001:db8:%x:%x:%x::%x",
          random.nextInt(0x10000),
          random.nextInt(0x10000),
          random.nextInt(0x10000),
          1 + random.nextInt(0xfffe));
    }
    // Host part never 0, so no address equals its own /24 network.
    return (11 + random.nextInt(212))
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + (1 + random.nextInt(254));
  }

  private BigDecimal amount(String currency) {
    int scale = currency.equals("JPY") ? 0 : 2;
    double euros = Math.exp(random.nextDouble() * Math.log(5_000)); // long tail: most are small
    BigDecimal value =
        BigDecimal.valueOf(euros * (currency.equals("JPY") ? 160 : 1))
            .setScale(scale, RoundingMode.HALF_UP);
    return value.signum() == 0 ? BigDecimal.ONE.setScale(scale) : value;
  }

  private List<String> tags() {
    TreeSet<String> tags = new TreeSet<>();
    int count = 1 + random.nextInt(3);
    while (tags.size() < count) {
      tags.add(pick(TAGS));
    }
    return List.copyOf(tags);
  }

  private String token(int length) {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private String digits(int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }

  private static String ascii(String name) {
    return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
        .replaceAll("[^A-Za-z]", "")
        .toLowerCase(Locale.ROOT);
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
