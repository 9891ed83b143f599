package dev.mlops.operator.common;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;

/**
 * What ties a child to its owner: the controller ownerReference (its uid is stamped at create time
 * by the loop's child writer, so a desired object can be built before the owner has one), and the
 * desired-hash annotation that says which desired state a child was last written from.
 */
public final class Owners {

  private Owners() {}

  /** {@code mlops.dev/desired-hash}: a child is rewritten only when the hash of what is desired changes. */
  public static final String DESIRED_HASH = "mlops.dev/desired-hash";

  /** The owner as the controller of a child; the Kubernetes garbage collector deletes the child with it. */
  public static OwnerReference controller(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  /** Puts the hash of {@code desired} (any JSON-serialisable part of the child) on the child. */
  public static <T extends HasMetadata> T stamp(T child, Object desired) {
    var annotations = child.getMetadata().getAnnotations() == null ? new LinkedHashMap<String, String>()
        : new LinkedHashMap<>(child.getMetadata().getAnnotations());
    annotations.put(DESIRED_HASH, hash(io.fabric8.kubernetes.client.utils.Serialization.asJson(desired)));
    child.getMetadata().setAnnotations(annotations);
    return child;
  }

  /** The desired-hash annotation of a child, or null. */
  public static String desiredHash(HasMetadata child) {
    var annotations = child.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DESIRED_HASH);
  }

  /** The first 16 hex digits of the SHA-256 of {@code text}. */
  public static String hash(String text) {
    return sha256(text).substring(0, 16);
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
