package dev.mlops.operator.api.v1alpha1;

/**
 * The validation rules of the NasServer and NasVolume APIs: CEL expressions for the CRDs and the
 * messages the reconciler's validator starts its lines with (it adds the value), so {@code kubectl
 * apply} and {@code Valid=False} say the same sentence.
 */
public final class NasRules {

  private NasRules() {}

  // ---- NasServer ------------------------------------------------------------------------------
  public static final String EXPORT_ROOT_ABSOLUTE_RULE = "self.startsWith('/')";
  public static final String EXPORT_ROOT_ABSOLUTE = "spec.nfs.exportRoot must be an absolute path";
  public static final String EXPORT_ROOT_DOTS_RULE = "!self.matches('(^|/)[.][.]?(/|$)')";
  public static final String EXPORT_ROOT_DOTS = "spec.nfs.exportRoot must not contain '.' or '..' segments";
  public static final String HOST_PATTERN = "^[A-Za-z0-9]([-A-Za-z0-9.:\\[\\]]*[A-Za-z0-9\\]])?$";
  public static final String DRIVER_RULE = "self in ['in-tree', 'csi']";
  public static final String DRIVER = "spec.driver must be in-tree or csi";
  public static final String PROFILE_RULE = "self in ['all-flash', 'hdd']";
  public static final String PROFILE = "spec.profile must be all-flash or hdd";
  public static final String MOUNT_OPTION_PATTERN = "^[^,\\s]+$";
  public static final String IMMUTABLE_NFS_RULE = "self.spec.nfs == oldSelf.spec.nfs";
  public static final String IMMUTABLE_NFS = "spec.nfs is immutable: a PersistentVolume's NFS source cannot change;"
      + " create a new NasServer for another server or export";
  public static final String IMMUTABLE_DRIVER_RULE =
      "(has(self.spec.driver) ? self.spec.driver : 'in-tree') == (has(oldSelf.spec.driver) ? oldSelf.spec.driver : 'in-tree')";
  public static final String IMMUTABLE_DRIVER = "spec.driver is immutable: a PersistentVolume's volume source cannot"
      + " change; create a new NasServer for the other driver";

  // ---- NasVolume ------------------------------------------------------------------------------
  public static final String VOLUME_NAME_RULE = "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')"
      + " && size(self.metadata.name) <= 63";
  public static final String VOLUME_NAME = "metadata.name must be a DNS-1123 label of at most 63 characters: it names"
      + " the PersistentVolumeClaim and labels the PersistentVolume";
  public static final String SERVER_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  public static final String PATH_RELATIVE_RULE = "!self.startsWith('/')";
  public static final String PATH_RELATIVE = "spec.path must be relative to the NasServer's exportRoot, not absolute";
  public static final String PATH_DOTDOT_RULE = "!self.matches('(^|/)[.][.](/|$)')";
  public static final String PATH_DOTDOT = "spec.path must not contain '..': a volume stays under its export";
  public static final String PATH_SEGMENTS_RULE = "!self.matches('//|(^|/)[.](/|$)')";
  public static final String PATH_SEGMENTS = "spec.path must not contain empty or '.' segments";
  /** No control characters (a text regex both RE2 and Java read the same way). */
  public static final String PATH_PATTERN = "^[^\\x00-\\x1f\\x7f]*$";
  /** Fails only for a well-formed zero ("0", "0Ti", "0.0"): a malformed quantity is the pattern's to refuse. */
  public static final String CAPACITY_POSITIVE_RULE = "!self.matches('^[+]?[0.]*([eE]|[KMGTPE]i|[mkMGTPE]|$)')";
  public static final String CAPACITY_POSITIVE = "spec.capacity must be a positive quantity such as 10Ti";
  public static final String DELETION_POLICY_RULE = "self in ['Retain', 'Delete']";
  public static final String DELETION_POLICY = "spec.deletionPolicy must be Retain or Delete";

  private static final String VOLUME_LOCKED = " is immutable: the PersistentVolume and its claim cannot follow it;"
      + " create a new NasVolume (the data on the NAS stays where it is)";
  public static final String IMMUTABLE_SERVER_RULE = "self.spec.server == oldSelf.spec.server";
  public static final String IMMUTABLE_SERVER = "spec.server" + VOLUME_LOCKED;
  public static final String IMMUTABLE_PATH_RULE = "self.spec.path == oldSelf.spec.path";
  public static final String IMMUTABLE_PATH = "spec.path" + VOLUME_LOCKED;
  public static final String IMMUTABLE_CAPACITY_RULE = "self.spec.capacity == oldSelf.spec.capacity";
  public static final String IMMUTABLE_CAPACITY = "spec.capacity" + VOLUME_LOCKED;
  public static final String IMMUTABLE_READONLY_RULE =
      "(has(self.spec.readOnly) ? self.spec.readOnly : true) == (has(oldSelf.spec.readOnly) ? oldSelf.spec.readOnly : true)";
  public static final String IMMUTABLE_READONLY = "spec.readOnly" + VOLUME_LOCKED;

  public static final String BENCHMARK_WRITABLE_RULE =
      "!has(self.benchmark) || !has(self.benchmark.enabled) || !self.benchmark.enabled"
      + " || (has(self.readOnly) && !self.readOnly)";
  public static final String BENCHMARK_WRITABLE = "spec.benchmark.enabled needs spec.readOnly: false: the benchmark"
      + " writes its test file on the volume";

  public static final int MAX_BENCHMARK_MIB = 1048576;
}
