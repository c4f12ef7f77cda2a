package dev.ddbwarehouse.local.synth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Writes one profile per fake person to the profiles table, as a sign-up service would, and a few
 * later updates. On the calling thread: there are about a tenth as many profiles as transactions.
 * Each write is logged just before it is sent, keyed by {@code userId} (see {@link WriteLog}).
 */
public final class ProfileWorkload {

  /** The built-in {@code user_profiles} entry's source table and its partition key. */
  public static final String TABLE = "user-profiles";

  public static final String PARTITION_KEY = "userId";

  /** BatchWriteItem takes at most 25 requests. */
  private static final int BATCH_WRITE_LIMIT = 25;

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final ProfileFaker faker;
  private final WriteLog log;
  private final List<SyntheticProfile> written = new ArrayList<>();

  public ProfileWorkload(DynamoDbClient dynamoDb, String table, ProfileFaker faker, WriteLog log) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.faker = faker;
    this.log = log;
  }

  /** Inserts the profile of every person; returns how many. */
  public int insert(List<FakePerson> people) {
    List<SyntheticProfile> profiles = people.stream().map(faker::profile).toList();
    written.addAll(profiles);
    for (int from = 0; from < profiles.size(); from += BATCH_WRITE_LIMIT) {
      List<SyntheticProfile> chunk =
          profiles.subList(from, Math.min(profiles.size(), from + BATCH_WRITE_LIMIT));
      batchWrite(chunk);
    }
    return profiles.size();
  }

  /**
   * Re-puts {@code count} profiles (every n-th) with marketing consent flipped and {@code
   * updatedAt} a week later; fewer if not enough exist. Returns how many.
   */
  public int update(int count) {
    int done = Math.min(count, written.size());
    List<SyntheticProfile> updates = new ArrayList<>(done);
    for (int i = 0; i < done; i++) {
      int index = (int) ((long) i * written.size() / done);
      SyntheticProfile before = written.get(index);
      SyntheticProfile after = before.updated(before.updatedAt().plus(Duration.ofDays(7)));
      written.set(index, after);
      updates.add(after);
    }
    for (int from = 0; from < done; from += BATCH_WRITE_LIMIT) {
      batchWrite(updates.subList(from, Math.min(done, from + BATCH_WRITE_LIMIT)));
    }
    return done;
  }

  private void batchWrite(List<SyntheticProfile> profiles) {
    long now = System.nanoTime();
    List<WriteRequest> requests = new ArrayList<>(profiles.size());
    for (SyntheticProfile p : profiles) {
      log.identifying(p.identifyingValues());
      log.written(p.person().userId(), now);
      requests.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(p.toItem()).build()).build());
    }
    Map<String, List<WriteRequest>> pending = Map.of(table, requests);
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
    }
  }
}
