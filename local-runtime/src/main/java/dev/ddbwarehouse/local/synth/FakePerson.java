package dev.ddbwarehouse.local.synth;

/** An invented customer: ids, contact details, all deterministic from the generator's seed. */
public record FakePerson(
    String userId, String accountId, String fullName, String email, String phone) {}
