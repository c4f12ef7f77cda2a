package dev.ddbwarehouse.core.table;

import java.util.List;

/**
 * What erasing a data subject does to one table's rows that link to them (GDPR Art. 17), declared
 * per entry of the mapping document as {@code "erasure": {"action": .., "clear": [..]}}.
 *
 * @param action what happens to the subject's rows
 * @param clearColumns for {@link Action#ANONYMISE}: the quasi-identifying columns set to NULL on
 *     those rows, besides every pseudonym column (which is always cleared)
 */
public record Erasure(Action action, List<String> clearColumns) {

  /**
   * The default for a table that declares nothing: removing the rows is the one action that can
   * never leave anything of the subject behind, whatever the table holds.
   */
  public static final Erasure DELETE_ROWS = new Erasure(Action.DELETE, List.of());

  public enum Action {
    /** The rows are removed (a profile: nothing in it is worth keeping without its subject). */
    DELETE("delete"),
    /**
     * The rows stay, linked to nobody: every pseudonym column and the declared quasi-identifiers
     * set to NULL, so aggregates (amounts per month) stay correct.
     */
    ANONYMISE("anonymise");

    private final String word;

    Action(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    public static Action parse(String word) {
      for (Action a : values()) if (a.word.equals(word)) return a;
      return null;
    }
  }

  public Erasure {
    clearColumns = List.copyOf(clearColumns);
  }
}
