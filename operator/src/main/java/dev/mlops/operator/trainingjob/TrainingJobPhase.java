package dev.mlops.operator.trainingjob;

/** The phases of status.phase and the condition types a TrainingJob reports. */
public final class TrainingJobPhase {

  private TrainingJobPhase() {}

  public static final String PENDING = "Pending";
  /** Waiting for free GPUs: the whole gang is admitted at once or not at all (status.queue says where it stands). */
  public static final String QUEUED = "Queued";
  public static final String STARTING = "Starting";
  public static final String RUNNING = "Running";
  public static final String RESTARTING = "Restarting";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String SUSPENDED = "Suspended";

  public static final String COND_VALID = "Valid";
  public static final String COND_SCHEDULABLE = "Schedulable";
  /** Whether the current attempt's gang was admitted on free GPUs (False while Queued, with why and who is ahead). */
  public static final String COND_ADMITTED = "Admitted";
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
