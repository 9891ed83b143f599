package dev.mlops.operator.trainingjob;

/** The phases of status.phase and the condition types a TrainingJob reports. */
public final class TrainingJobPhase {

  private TrainingJobPhase() {}

  public static final String PENDING = "Pending";
  public static final String STARTING = "Starting";
  public static final String RUNNING = "Running";
  public static final String RESTARTING = "Restarting";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String SUSPENDED = "Suspended";

  public static final String COND_VALID = "Valid";
  public static final String COND_SCHEDULABLE = "Schedulable";
  /** Only on a job that mounts NasVolumes: each is Bound (and the checkpoint's is writable). */
  public static final String COND_VOLUMES_READY = "VolumesReady";
  public static final String COND_REDIS_READY = "RedisReady";
  public static final String COND_RUNNING = "Running";
  public static final String COND_SUCCEEDED = "Succeeded";
  public static final String COND_FAILED = "Failed";
  public static final String COND_SUSPENDED = "Suspended";

  public static boolean isFinished(String phase) {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }
}
