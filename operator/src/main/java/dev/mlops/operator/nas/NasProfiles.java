package dev.mlops.operator.nas;

import dev.mlops.operator.api.v1alpha1.NasServerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mount options of a NasServer's volumes: its profile's, unless {@code spec.mountOptions} is
 * given, which then replaces them entirely. The reasoning behind each profile is in docs/storage.md.
 */
public final class NasProfiles {

  private NasProfiles() {}

  public static final String ALL_FLASH = "all-flash";
  public static final String HDD = "hdd";
  public static final String DEFAULT = ALL_FLASH;

  /**
   * {@code all-flash}: NFS 4.1 (sessions, and what nconnect needs), 16 TCP connections per mount
   * (one stream cannot fill 100G), 1 MiB reads and writes, hard mounts with a 60 s timeout and two
   * retransmissions (a training job waits for the NAS rather than read an I/O error), no atime updates.
   * {@code hdd}: the same without nconnect (spindles, not the network, are the limit) and with atime.
   */
  public static final Map<String, List<String>> PROFILES = Map.of(
      ALL_FLASH, List.of("nfsvers=4.1", "nconnect=16", "rsize=1048576", "wsize=1048576", "hard", "timeo=600",
          "retrans=2", "noatime"),
      HDD, List.of("nfsvers=4.1", "rsize=1048576", "wsize=1048576", "hard", "timeo=600", "retrans=2"));

  /** The profile's options, or empty for an unknown profile (validation names it). */
  public static Optional<List<String>> of(String profile) {
    return Optional.ofNullable(PROFILES.get(profile == null ? DEFAULT : profile));
  }

  /** What the volumes of this server are mounted with. */
  public static List<String> effective(NasServerSpec spec) {
    if (spec.getMountOptions() != null && !spec.getMountOptions().isEmpty()) {
      return List.copyOf(spec.getMountOptions());
    }
    return of(spec.getProfile()).orElse(List.of());
  }
}
