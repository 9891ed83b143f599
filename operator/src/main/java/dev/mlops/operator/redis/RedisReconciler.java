package dev.mlops.operator.redis;

import dev.mlops.operator.api.v1alpha1.RedisInstance;
import dev.mlops.operator.api.v1alpha1.RedisInstanceStatus;
import dev.mlops.operator.kind.KindPlan;
import dev.mlops.operator.kind.KindReconciler;
import dev.mlops.operator.kind.ProgressWrites;
import dev.mlops.operator.redis.RedisPlanner.Action;
import dev.mlops.operator.redis.RedisPlanner.Create;
import dev.mlops.operator.redis.RedisPlanner.Delete;
import dev.mlops.operator.redis.RedisPlanner.GenerateSecret;
import dev.mlops.operator.redis.RedisPlanner.Replicate;
import dev.mlops.operator.redis.RedisPlanner.SetRole;
import dev.mlops.operator.redis.RedisPlanner.SetSecretOwners;
import dev.mlops.operator.redis.RedisPlanner.Update;
import dev.mlops.operator.redis.RedisTopology.Server;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RedisInstance on the shared loop: its children from the caches, each server's {@code INFO} through
 * the {@link RedisConnector}, and {@link RedisPlanner}'s plan applied: child writes, the failover
 * manager's {@code REPLICAOF} commands (each said in an Event once done), the pods' role labels.
 */
@ControllerConfiguration(name = RedisReconciler.NAME)
public class RedisReconciler extends KindReconciler<RedisInstance, RedisInstanceStatus> {

  public static final String NAME = "redisinstance";
  /** Progress-only status changes (offsets, memory) are written at most this often. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(RedisReconciler.class);

  private final RedisConnector connector;
  private final RedisMetrics metrics;
  private final Map<Class<?>, InformerEventSource<?, RedisInstance>> informers = new HashMap<>();

  private final String operatorNamespace;

  /** @param operatorNamespace where the operator's pod runs (null outside a pod): its Redis servers admit it from there */
  public RedisReconciler(KubernetesClient client, Clock clock, RedisConnector connector, RedisMetrics metrics,
      String operatorNamespace) {
    super(client, clock, RedisResources.INSTANCE_LABEL,
        new ProgressWrites<>(clock, PROGRESS_INTERVAL, RedisPlanner::progressOnly));
    this.connector = connector;
    this.metrics = metrics;
    this.operatorNamespace = operatorNamespace;
  }

  @Override
  public void refreshMetrics() {
    metrics.refresh();
  }

  @Override
  public List<EventSource<?, RedisInstance>> prepareEventSources(EventSourceContext<RedisInstance> context) {
    List<EventSource<?, RedisInstance>> sources = new ArrayList<>();
    add(sources, StatefulSet.class, "redis-statefulsets", context);
    add(sources, ConfigMap.class, "redis-configmaps", context);
    add(sources, Service.class, "redis-services", context);
    add(sources, Secret.class, "redis-secrets", context);
    add(sources, PodDisruptionBudget.class, "redis-pdbs", context);
    add(sources, NetworkPolicy.class, "redis-networkpolicies", context);
    add(sources, Pod.class, "redis-pods", context);
    // The StatefulSet's claims carry the instance's labels (volumeClaimTemplates): a Pending one explains a pod
    // the scheduler cannot place.
    add(sources, PersistentVolumeClaim.class, "redis-claims", context);
    metrics.observe(() -> context.getPrimaryCache().list().toList());
    return sources;
  }

  private <R extends HasMetadata> void add(List<EventSource<?, RedisInstance>> sources, Class<R> type, String name,
      EventSourceContext<RedisInstance> context) {
    InformerEventSource<R, RedisInstance> informer = childInformer(type, RedisInstance.class, name, r -> r, context);
    informers.put(type, informer);
    sources.add(informer);
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> InformerEventSource<R, RedisInstance> informer(Class<R> type) {
    return (InformerEventSource<R, RedisInstance>) informers.get(type);
  }

  @Override
  protected KindPlan<RedisInstanceStatus> plan(RedisInstance ri, Context<RedisInstance> context) {
    String name = ri.getMetadata().getName();
    List<HasMetadata> children = new ArrayList<>();
    for (Class<? extends HasMetadata> type : List.of(StatefulSet.class, ConfigMap.class, Service.class, Secret.class,
        PodDisruptionBudget.class, NetworkPolicy.class)) {
      children.addAll(context.getSecondaryResources(type));
    }
    List<Pod> pods = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> ordinal(name, p.getMetadata().getName()) >= 0)
        .sorted(Comparator.comparingInt(p -> ordinal(name, p.getMetadata().getName()))).toList();
    Optional<String> secretProblem = Optional.empty();
    Optional<RedisPlanner.Password> password = Optional.empty();
    RedisConnector.Credentials as = RedisConnector.Credentials.NONE;
    List<Server> servers = List.of();
    if (RedisValidator.validate(ri).isEmpty()) {
      String secretName = RedisResources.secretName(ri);
      if (secretName != null) {
        Optional<Secret> secret = RedisResources.generatesSecret(ri) ? cached(children, secretName)
            : Optional.ofNullable(context.getClient().secrets().inNamespace(ri.getMetadata().getNamespace())
                .withName(secretName).get());
        if (secret.isEmpty() && !RedisResources.generatesSecret(ri)) {
          secretProblem = Optional.of("Secret " + secretName + " (spec.auth.existingSecret) is not in namespace "
              + ri.getMetadata().getNamespace() + ": create it with the key 'password'");
        } else if (secret.isPresent()) {
          String value = RedisResources.password(secret.get());
          // A generated Secret's password may have been rotated by hand: it is checked the same way.
          secretProblem = RedisValidator.passwordProblem(secretName, value);
          if (value != null) {
            password = Optional.of(new RedisPlanner.Password(secretName + "@"
                + secret.get().getMetadata().getResourceVersion(), value));
          }
        }
        // The operator connects as its own ACL user (a rotation of the default user's password does not touch it).
        as = cached(children, RedisResources.operatorSecretName(name)).map(RedisResources::password)
            .map(op -> new RedisConnector.Credentials(RedisResources.OPERATOR_USER, op)).orElse(null);
      }
      if (secretProblem.isEmpty() && as != null) {
        servers = probe(name, pods, as);
      }
    }
    // During a rotation only: which passwords each server accepts, so that no step is taken on a command
    // that did not land.
    Map<String, List<String>> hashes = new java.util.HashMap<>();
    var auth = ri.getStatus() == null ? null : ri.getStatus().getAuth();
    if (password.isPresent() && auth != null && auth.getAppliedSecret() != null
        && (auth.getRotatingTo() != null || !auth.getAppliedSecret().equals(password.get().secret()))) {
      for (Server server : servers) {
        if (server.address().isPresent() && server.answer() != null && server.answer().info().isPresent()) {
          connector.passwordHashes(server.address().get(), as).ifPresent(h -> hashes.put(server.pod(), h));
        }
      }
    }
    RedisPlanner.Plan plan = RedisPlanner.plan(ri, new RedisPlanner.Observed(children, pods, secretProblem, servers,
        password, hashes).withClaims(List.copyOf(context.getSecondaryResources(PersistentVolumeClaim.class)))
        .withOperatorNamespace(operatorNamespace),
        clock.instant());
    RedisConnector.Credentials credentials = as;
    return new KindPlan<>(plan.status(), plan.actions().stream().map(a -> childAction(ri, a, credentials)).toList(),
        plan.events(), plan.requeueAfter());
  }

  private static Optional<Secret> cached(List<HasMetadata> children, String name) {
    return children.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
        .filter(s -> name.equals(s.getMetadata().getName())).findFirst();
  }

  private List<Server> probe(String name, List<Pod> pods, RedisConnector.Credentials as) {
    List<Server> servers = new ArrayList<>();
    for (Pod pod : pods) {
      var address = connector.address(pod);
      servers.add(new Server(pod.getMetadata().getName(), ordinal(name, pod.getMetadata().getName()), address,
          address.map(a -> connector.info(a, as)).orElse(null)));
    }
    return servers;
  }

  /** The ordinal of a StatefulSet pod {@code <name>-N}, or -1. */
  static int ordinal(String name, String pod) {
    if (!pod.startsWith(name + "-")) {
      return -1;
    }
    String tail = pod.substring(name.length() + 1);
    return tail.matches("[0-9]{1,4}") ? Integer.parseInt(tail) : -1;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private KindPlan.ChildAction childAction(RedisInstance ri, Action action, RedisConnector.Credentials as) {
    if (action instanceof Create create) {
      HasMetadata child = create.child();
      return w -> w.createIfAbsent(create.what(), child, (InformerEventSource) informer(child.getClass()));
    } else if (action instanceof Update update) {
      HasMetadata desired = update.desired();
      return w -> w.edit(update.observed(), (InformerEventSource) informer(desired.getClass()),
          o -> RedisResources.applyDesired((HasMetadata) o, desired));
    } else if (action instanceof Delete delete) {
      return w -> w.delete(delete.child(), null);
    } else if (action instanceof GenerateSecret generate) {
      return w -> w.createIfAbsent(generate.operator() ? "operator Secret" : "auth Secret", generate.operator()
          ? RedisResources.operatorSecret(generate.instance(), RedisResources.newPassword())
          : RedisResources.generatedSecret(generate.instance(), RedisResources.newPassword()), informer(Secret.class));
    } else if (action instanceof RedisPlanner.AcceptPassword accept) {
      return w -> said(ri, "accept the new password on " + accept.pod(), connector.acceptPassword(accept.server(),
          accept.password(), as));
    } else if (action instanceof RedisPlanner.DropOldPasswords drop) {
      return w -> said(ri, "remove the old password from " + drop.pod(), connector.dropOtherPasswords(drop.server(),
          drop.password(), as));
    } else if (action instanceof SetSecretOwners owners) {
      return w -> w.edit(owners.secret(), informer(Secret.class), s -> {
        s.getMetadata().setOwnerReferences(new ArrayList<>(owners.owners()));
        return s;
      });
    } else if (action instanceof SetRole role) {
      return w -> w.setLabel(role.pod(), informer(Pod.class), RedisResources.ROLE_LABEL, role.role());
    } else if (action instanceof Replicate replicate) {
      var command = replicate.command();
      return w -> {
        String failed = connector.replicaOf(command.server(), command.master(), as);
        if (failed == null) {
          LOG.info("RedisInstance {}/{}: {}", ri.getMetadata().getNamespace(), ri.getMetadata().getName(),
              command.message());
          events.record(ri, command.type(), command.reason(), command.message());
        } else {
          events.record(ri, "Warning", "ReplicaOfFailed", "REPLICAOF on " + command.pod() + " failed: " + failed);
        }
      };
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  /** A failed Redis command: a Warning (no password in it), retried by the next pass. */
  private void said(RedisInstance ri, String what, String failed) {
    if (failed != null) {
      events.record(ri, "Warning", "RedisCommandFailed", "Could not " + what + ": " + failed);
    }
  }
}
