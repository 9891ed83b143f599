package dev.mlops.operator.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.operator.api.v1alpha1.NasVolumeMount;
import dev.mlops.operator.api.v1alpha1.Pipeline;
import dev.mlops.operator.api.v1alpha1.PipelineContainer;
import dev.mlops.operator.api.v1alpha1.PipelineParam;
import dev.mlops.operator.api.v1alpha1.PipelineRules;
import dev.mlops.operator.api.v1alpha1.PipelineSchedule;
import dev.mlops.operator.api.v1alpha1.PipelineSpec;
import dev.mlops.operator.api.v1alpha1.PipelineTask;
import dev.mlops.operator.api.v1alpha1.RedisBinding;
import dev.mlops.operator.api.v1alpha1.TrainingJob;
import dev.mlops.operator.api.v1alpha1.TrainingJobSpec;
import dev.mlops.operator.argo.Argo;
import dev.mlops.operator.argo.Arguments;
import dev.mlops.operator.argo.CronWorkflow;
import dev.mlops.operator.argo.CronWorkflowSpec;
import dev.mlops.operator.argo.DagTask;
import dev.mlops.operator.argo.Memoize;
import dev.mlops.operator.argo.Metadata;
import dev.mlops.operator.argo.Parameter;
import dev.mlops.operator.argo.ResourceTemplate;
import dev.mlops.operator.argo.RetryStrategy;
import dev.mlops.operator.argo.Template;
import dev.mlops.operator.argo.WorkflowSpec;
import dev.mlops.operator.argo.WorkflowTemplate;
import dev.mlops.operator.common.Labels;
import dev.mlops.operator.common.Owners;
import dev.mlops.operator.pipeline.PipelineReferences.Reference;
import dev.mlops.operator.redis.RedisConnector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A valid Pipeline as Argo objects, pure: the WorkflowTemplate (a DAG template {@code pipeline},
 * one template per task, the exit handler), a CronWorkflow per group of schedules, and the
 * memoization ConfigMap when a task is cached. Each carries the hash of what it was compiled to, so
 * the reconciler rewrites it only when that changes.
 */
public final class PipelineCompiler {

  private PipelineCompiler() {}

  public static final String LABEL = "pipeline";
  public static final String PIPELINE_LABEL = "mlops.dev/" + LABEL;
  public static final String TASK_LABEL = "mlops.dev/pipeline-task";
  public static final String RUN_LABEL = "mlops.dev/pipelinerun";
  public static final String DAG_TEMPLATE = "pipeline";
  public static final String EXIT_TEMPLATE = "on-exit";
  static final String TASK_TEMPLATE_PREFIX = "task-";

  /** What one Pipeline compiles to. */
  public record Compiled(WorkflowTemplate template, List<CronWorkflow> cronWorkflows, Optional<ConfigMap> cache) {}

  /** The label on a cache ConfigMap (in Argo's namespace) naming its Pipeline's namespace. */
  public static final String PIPELINE_NAMESPACE_LABEL = "mlops.dev/pipeline-namespace";

  /**
   * @param argoNamespace where Argo's controller runs: Argo reads and writes memoization ConfigMaps in
   *                      its own namespace, so the cache ConfigMap is made there (no owner across namespaces)
   */
  public static Compiled compile(Pipeline pipeline, String argoNamespace) {
    PipelineSpec spec = pipeline.getSpec();
    String name = pipeline.getMetadata().getName();
    WorkflowTemplate template = new WorkflowTemplate();
    template.setMetadata(meta(pipeline, name));
    template.setSpec(workflowSpec(pipeline));
    Owners.stamp(template, template.getSpec());
    List<CronWorkflow> crons = cronWorkflows(pipeline);
    Optional<ConfigMap> cache = Optional.empty();
    if (spec.getTasks().stream().anyMatch(t -> t.getCache() != null)) {
      Map<String, String> labels = Labels.forChild(LABEL, name);
      labels.put(PIPELINE_NAMESPACE_LABEL, pipeline.getMetadata().getNamespace());
      labels.put(Argo.CONFIGMAP_TYPE, Argo.CONFIGMAP_TYPE_CACHE);
      cache = Optional.of(new ConfigMapBuilder().withNewMetadata().withName(cacheName(pipeline)).withNamespace(argoNamespace)
          .withLabels(labels).endMetadata().build());
    }
    return new Compiled(template, crons, cache);
  }

  /** {@code mlops-cache.<namespace>.<pipeline>}: unique among the Pipelines of every namespace, which share Argo's. */
  public static String cacheName(Pipeline pipeline) {
    return "mlops-cache." + pipeline.getMetadata().getNamespace() + "." + pipeline.getMetadata().getName();
  }

  /** The CronWorkflow of the i-th group of schedules: {@code <pipeline>}, then {@code <pipeline>-2}, ... */
  public static String cronName(String pipeline, int group) {
    return group == 0 ? pipeline : pipeline + "-" + (group + 1);
  }

  private static ObjectMeta meta(Pipeline pipeline, String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(pipeline.getMetadata().getNamespace())
        .withLabels(Labels.forChild(LABEL, pipeline.getMetadata().getName()))
        .withOwnerReferences(Owners.controller(pipeline)).build();
  }

  private static WorkflowSpec workflowSpec(Pipeline pipeline) {
    PipelineSpec spec = pipeline.getSpec();
    String name = pipeline.getMetadata().getName();
    WorkflowSpec ws = new WorkflowSpec();
    ws.setEntrypoint(DAG_TEMPLATE);
    ws.setServiceAccountName(spec.getServiceAccountName() == null ? PipelineRules.DEFAULT_SERVICE_ACCOUNT
        : spec.getServiceAccountName());
    List<Parameter> params = new ArrayList<>();
    for (PipelineParam p : params(spec)) {
      Parameter parameter = Parameter.named(p.getName(), p.getDefaultValue());
      parameter.setEnumValues(p.getEnumValues() == null || p.getEnumValues().isEmpty() ? null : p.getEnumValues());
      parameter.setDescription(p.getDescription());
      params.add(parameter);
    }
    if (!params.isEmpty()) {
      ws.setArguments(new Arguments(params));
    }
    List<Volume> volumes = new ArrayList<>();
    for (int i = 0; i < volumes(spec).size(); i++) {
      NasVolumeMount v = volumes(spec).get(i);
      volumes.add(new VolumeBuilder().withName("nas-" + i).withNewPersistentVolumeClaim().withClaimName(v.getNasVolume())
          .withReadOnly(Boolean.TRUE.equals(v.getReadOnly()) ? true : null).endPersistentVolumeClaim().build());
    }
    ws.setVolumes(volumes.isEmpty() ? null : volumes);
    Metadata pods = new Metadata();
    Map<String, String> podLabels = new LinkedHashMap<>();
    podLabels.put(Labels.PART_OF, Labels.OPERATOR);
    podLabels.put(PIPELINE_LABEL, name);
    for (RedisBinding b : redis(spec)) {
      // What a RedisInstance's NetworkPolicy admits (access.networkPolicy).
      podLabels.put(dev.mlops.operator.redis.RedisResources.clientLabel(redisNamespace(pipeline, b), b.getName()), "true");
    }
    pods.setLabels(podLabels);
    ws.setPodMetadata(pods);
    Metadata workflows = new Metadata();
    workflows.setLabels(new LinkedHashMap<>(Map.of(PIPELINE_LABEL, name)));
    ws.setWorkflowMetadata(workflows);
    List<Template> templates = new ArrayList<>();
    Template dag = new Template();
    dag.setName(DAG_TEMPLATE);
    Template.Dag tasks = new Template.Dag();
    tasks.setTasks(new ArrayList<>());
    dag.setDag(tasks);
    templates.add(dag);
    for (PipelineTask task : spec.getTasks()) {
      Set<Reference> inputs = inputs(task);
      tasks.getTasks().add(dagTask(task, inputs));
      templates.add(taskTemplate(pipeline, task, inputs));
    }
    if (spec.getOnExit() != null) {
      Template exit = new Template();
      exit.setName(EXIT_TEMPLATE);
      exit.setContainer(container(pipeline, spec.getOnExit().getContainer(), PipelineReferences::argoDag));
      templates.add(exit);
      ws.setOnExit(EXIT_TEMPLATE);
    }
    ws.setTemplates(templates);
    return ws;
  }

  /** The references a task's template needs as input parameters, in order of appearance. */
  static Set<Reference> inputs(PipelineTask task) {
    Set<Reference> inputs = new LinkedHashSet<>();
    if (task.getContainer() != null) {
      PipelineValidator.references(task.getContainer(), "", (field, found) -> {
        if (found.reference() != null && PipelineReferences.inputName(found.reference()) != null) {
          inputs.add(found.reference());
        }
      });
    } else {
      JsonNode tree = Serialization.jsonMapper().valueToTree(task.getTrainingJob().getSpec());
      PipelineValidator.strings(tree, "", (field, text) -> PipelineReferences.find(text).forEach(f -> {
        if (f.reference() != null && PipelineReferences.inputName(f.reference()) != null) {
          inputs.add(f.reference());
        }
      }));
    }
    if (task.getMap() != null && inputs.stream().noneMatch(r -> r instanceof PipelineReferences.Item)
        && task.getCache() != null) {
      // Each item is cached on its own even when the container does not read it.
      inputs.add(new PipelineReferences.Item());
    }
    return inputs;
  }

  private static DagTask dagTask(PipelineTask task, Set<Reference> inputs) {
    DagTask t = new DagTask();
    t.setName(task.getName());
    t.setTemplate(TASK_TEMPLATE_PREFIX + task.getName());
    t.setDependencies(task.getDependsOn() == null || task.getDependsOn().isEmpty() ? null : task.getDependsOn());
    if (!inputs.isEmpty()) {
      t.setArguments(new Arguments(inputs.stream()
          .map(r -> Parameter.named(PipelineReferences.inputName(r), PipelineReferences.argoDag(r))).toList()));
    }
    if (task.getWhen() != null) {
      t.setWhen(PipelineReferences.replace(task.getWhen(), PipelineReferences::argoDag));
    }
    var map = task.getMap();
    if (map != null) {
      if (map.getItems() != null) {
        List<Object> items = new ArrayList<>();
        for (JsonNode item : map.getItems()) {
          items.add(Serialization.jsonMapper().convertValue(item, Object.class));
        }
        t.setWithItems(items);
      } else if (map.getFromParam() != null) {
        t.setWithParam("{{workflow.parameters." + map.getFromParam() + "}}");
      } else {
        String[] parts = map.getFromOutput().split("\\.");
        t.setWithParam("{{tasks." + parts[0] + ".outputs.parameters." + parts[1] + "}}");
      }
    }
    return t;
  }

  private static Template taskTemplate(Pipeline pipeline, PipelineTask task, Set<Reference> inputs) {
    Template t = new Template();
    t.setName(TASK_TEMPLATE_PREFIX + task.getName());
    if (!inputs.isEmpty()) {
      t.setInputs(new Arguments(inputs.stream().map(r -> Parameter.named(PipelineReferences.inputName(r), null)).toList()));
    }
    Metadata metadata = new Metadata();
    metadata.setLabels(new LinkedHashMap<>(Map.of(TASK_LABEL, task.getName())));
    t.setMetadata(metadata);
    if (task.getContainer() != null) {
      t.setContainer(container(pipeline, task.getContainer(), PipelineReferences::argoTemplate));
    } else {
      t.setResource(trainingJobResource(pipeline, task));
    }
    if (task.getOutputs() != null && !task.getOutputs().isEmpty()) {
      t.setOutputs(new Arguments(task.getOutputs().stream().map(o -> {
        Parameter p = Parameter.named(o.getName(), null);
        Parameter.ValueFrom from = new Parameter.ValueFrom();
        from.setPath(o.getPath());
        p.setValueFrom(from);
        return p;
      }).toList()));
    }
    if (task.getRetries() != null) {
      RetryStrategy retry = new RetryStrategy();
      retry.setLimit(new IntOrString(task.getRetries().getLimit()));
      retry.setRetryPolicy(task.getRetries().getPolicy() == null ? "OnFailure" : task.getRetries().getPolicy());
      var b = task.getRetries().getBackoff();
      if (b != null) {
        RetryStrategy.Backoff backoff = new RetryStrategy.Backoff();
        backoff.setDuration(b.getDuration());
        backoff.setFactor(b.getFactor() == null ? null : new IntOrString(b.getFactor()));
        backoff.setMaxDuration(b.getMaxDuration());
        retry.setBackoff(backoff);
      }
      t.setRetryStrategy(retry);
    }
    t.setTimeout(task.getTimeout());
    if (task.getCache() != null) {
      Memoize memoize = new Memoize();
      memoize.setKey(memoKey(pipeline.getMetadata().getName(), task, inputs));
      memoize.setMaxAge(task.getCache().getMaxAge());
      Memoize.Cache cache = new Memoize.Cache();
      Memoize.ConfigMapRef ref = new Memoize.ConfigMapRef();
      ref.setName(cacheName(pipeline));
      ref.setKey(task.getName());
      cache.setConfigMap(ref);
      memoize.setCache(cache);
      t.setMemoize(memoize);
    }
    return t;
  }

  /**
   * The memoization key: a SHA-256 of pipeline, task, cache version and each input's value. Argo
   * accepts only {@code [a-zA-Z0-9-]} in a key, and inputs are free text (JSON, dates), hence the hash.
   */
  static String memoKey(String pipeline, PipelineTask task, Set<Reference> inputs) {
    String stem = pipeline + "/" + task.getName() + "/" + task.getCache().getVersion();
    if (inputs.isEmpty()) {
      return Owners.sha256(stem);
    }
    // The stem is hashed here: a cache version is free text, and no quoting of it inside Argo's expression is needed.
    StringBuilder expression = new StringBuilder("{{=sprig.sha256sum('").append(Owners.sha256(stem)).append("'");
    for (Reference input : inputs) {
      expression.append(" + '|' + inputs.parameters['").append(PipelineReferences.inputName(input)).append("']");
    }
    return expression.append(")}}").toString();
  }

  private static Container container(Pipeline pipeline, PipelineContainer c,
      java.util.function.Function<Reference, String> translate) {
    List<EnvVar> env = new ArrayList<>();
    if (c.getEnv() != null) {
      for (EnvVar e : c.getEnv()) {
        EnvVar copy = new EnvVarBuilder(e).build();
        copy.setValue(PipelineReferences.replace(e.getValue(), translate));
        env.add(copy);
      }
    }
    for (RedisBinding b : redis(pipeline.getSpec())) {
      String prefix = b.getEnvPrefix() == null ? "REDIS" : b.getEnvPrefix();
      String host = b.getName() + "." + redisNamespace(pipeline, b) + ".svc";
      env.add(new EnvVar(prefix + "_HOST", host, null));
      env.add(new EnvVar(prefix + "_PORT", String.valueOf(RedisConnector.PORT), null));
      env.add(new EnvVar(prefix + "_URL", "redis://" + host + ":" + RedisConnector.PORT, null));
    }
    List<VolumeMount> mounts = new ArrayList<>();
    List<NasVolumeMount> volumes = volumes(pipeline.getSpec());
    for (int i = 0; i < volumes.size(); i++) {
      NasVolumeMount v = volumes.get(i);
      mounts.add(new VolumeMountBuilder().withName("nas-" + i).withMountPath(v.getMountPath()).withSubPath(v.getSubPath())
          .withReadOnly(Boolean.TRUE.equals(v.getReadOnly()) ? true : null).build());
    }
    return new ContainerBuilder().withName("main").withImage(PipelineReferences.replace(c.getImage(), translate))
        .withCommand(translate(c.getCommand(), translate)).withArgs(translate(c.getArgs(), translate))
        .withEnv(env.isEmpty() ? null : env).withResources(c.getResources())
        .withWorkingDir(PipelineReferences.replace(c.getWorkingDir(), translate))
        .withVolumeMounts(mounts.isEmpty() ? null : mounts).build();
  }

  private static List<String> translate(List<String> list, java.util.function.Function<Reference, String> translate) {
    return list == null ? null : list.stream().map(s -> PipelineReferences.replace(s, translate)).toList();
  }

  /**
   * A training task's resource template: Argo creates the TrainingJob (the Workflow owns it) and waits
   * for its phase. The job is named {@link #trainingJobName}, computed by Argo from the Workflow's name.
   */
  private static ResourceTemplate trainingJobResource(Pipeline pipeline, PipelineTask task) {
    TrainingJobSpec spec = trainingSpec(pipeline.getSpec(), typed(task.getTrainingJob().getSpec()));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("apiVersion", TrainingJob.GROUP + "/" + TrainingJob.VERSION);
    manifest.put("kind", "TrainingJob");
    Map<String, Object> metadata = new LinkedHashMap<>();
    int keep = trainingJobNameTail(task.getName(), spec);
    metadata.put("name", task.getName() + "-{{=sprig.trunc(-" + keep + ", workflow.name)}}");
    // Ordered: the manifest is text whose hash says whether the WorkflowTemplate changed (Map.of's order
    // differs from one JVM to the next, and every restart would rewrite the template).
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(PIPELINE_LABEL, pipeline.getMetadata().getName());
    labels.put(TASK_LABEL, task.getName());
    labels.put(RUN_LABEL, "{{workflow.name}}");
    metadata.put("labels", labels);
    manifest.put("metadata", metadata);
    JsonNode specTree = Serialization.jsonMapper().valueToTree(spec);
    String specJson = PipelineReferences.replace(specTree.toString(), PipelineReferences::argoTemplate);
    manifest.put("spec", Serialization.unmarshal(specJson, Map.class));
    ResourceTemplate r = new ResourceTemplate();
    r.setAction("create");
    r.setSetOwnerReference(true);
    r.setSuccessCondition("status.phase == Succeeded");
    r.setFailureCondition("status.phase == Failed");
    r.setManifest(Serialization.asYaml(manifest));
    return r;
  }

  /**
   * How many trailing characters of the Workflow's name a training task's TrainingJob keeps:
   * {@code <task>-<tail>} leaves room for the worker hostnames {@code <job>-<index>} (63 at most).
   */
  static int trainingJobNameTail(String task, TrainingJobSpec spec) {
    int nodes = spec.getNodes() == null ? 1 : spec.getNodes();
    return 63 - 1 - String.valueOf(Math.max(0, nodes - 1)).length() - task.length() - 1;
  }

  /** The TrainingJob a training task of the Workflow {@code workflow} creates (what Argo computes, in Java). */
  public static String trainingJobName(String workflow, PipelineTask task) {
    int keep = trainingJobNameTail(task.getName(), typed(task.getTrainingJob().getSpec()));
    return task.getName() + "-" + (workflow.length() > keep ? workflow.substring(workflow.length() - keep) : workflow);
  }

  /** A training task's spec as written, typed (the Pipeline's schema keeps it as free JSON). */
  public static TrainingJobSpec typed(JsonNode spec) {
    return spec == null ? new TrainingJobSpec() : Serialization.jsonMapper().convertValue(spec, TrainingJobSpec.class);
  }

  /** A training task's spec with the pipeline's volumes and Redis bindings added (the task's own come first). */
  public static TrainingJobSpec trainingSpec(PipelineSpec pipeline, TrainingJobSpec own) {
    TrainingJobSpec spec = Serialization.unmarshal(Serialization.asJson(own), TrainingJobSpec.class);
    List<NasVolumeMount> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
    for (NasVolumeMount v : volumes(pipeline)) {
      if (volumes.stream().noneMatch(o -> o.getMountPath() != null && o.getMountPath().equals(v.getMountPath()))) {
        volumes.add(v);
      }
    }
    spec.setVolumes(volumes.isEmpty() ? null : volumes);
    List<RedisBinding> redis = new ArrayList<>(spec.getRedis() == null ? List.of() : spec.getRedis());
    for (RedisBinding b : redis(pipeline)) {
      String prefix = b.getEnvPrefix() == null ? "REDIS" : b.getEnvPrefix();
      if (redis.stream().noneMatch(o -> prefix.equals(o.getEnvPrefix() == null ? "REDIS" : o.getEnvPrefix()))) {
        redis.add(b);
      }
    }
    spec.setRedis(redis.isEmpty() ? null : redis);
    return spec;
  }

  /** The schedules that share one CronWorkflow (same time zone, params and suspend), in the order of the spec. */
  static List<List<PipelineSchedule>> scheduleGroups(PipelineSpec spec) {
    Map<List<Object>, List<PipelineSchedule>> groups = new LinkedHashMap<>();
    for (PipelineSchedule s : spec.getSchedules() == null ? List.<PipelineSchedule>of() : spec.getSchedules()) {
      List<Object> key = new ArrayList<>();
      key.add(s.getTimezone());
      key.add(s.getParams() == null ? Map.of() : new java.util.TreeMap<>(s.getParams()));
      key.add(Boolean.TRUE.equals(s.getSuspend()));
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    return List.copyOf(groups.values());
  }

  /** The names of the CronWorkflows a Pipeline's schedules compile to, without compiling anything else. */
  public static List<String> cronWorkflowNames(Pipeline pipeline) {
    int groups = pipeline.getSpec() == null ? 0 : scheduleGroups(pipeline.getSpec()).size();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < groups; i++) {
      names.add(cronName(pipeline.getMetadata().getName(), i));
    }
    return names;
  }

  private static List<CronWorkflow> cronWorkflows(Pipeline pipeline) {
    PipelineSpec spec = pipeline.getSpec();
    String name = pipeline.getMetadata().getName();
    List<CronWorkflow> crons = new ArrayList<>();
    int index = 0;
    for (List<PipelineSchedule> group : scheduleGroups(pipeline.getSpec())) {
      PipelineSchedule first = group.get(0);
      CronWorkflow cron = new CronWorkflow();
      cron.setMetadata(meta(pipeline, cronName(name, index++)));
      CronWorkflowSpec cs = new CronWorkflowSpec();
      cs.setSchedules(group.stream().map(PipelineSchedule::getCron).toList());
      cs.setTimezone(first.getTimezone());
      cs.setConcurrencyPolicy(spec.getConcurrencyPolicy() == null ? "Allow" : spec.getConcurrencyPolicy());
      cs.setSuspend(Boolean.TRUE.equals(first.getSuspend()) ? true : null);
      WorkflowSpec ws = new WorkflowSpec();
      ws.setWorkflowTemplateRef(new WorkflowSpec.WorkflowTemplateRef(name));
      List<Parameter> params = new ArrayList<>();
      for (PipelineParam p : params(spec)) {
        String value = first.getParams() != null && first.getParams().containsKey(p.getName())
            ? PipelineReferences.replace(first.getParams().get(p.getName()),
                r -> PipelineReferences.argoSchedule(r, first.getTimezone()))
            : p.getDefaultValue();
        params.add(Parameter.named(p.getName(), value));
      }
      ws.setArguments(params.isEmpty() ? null : new Arguments(params));
      cs.setWorkflowSpec(ws);
      Metadata workflows = new Metadata();
      workflows.setLabels(new LinkedHashMap<>(Map.of(PIPELINE_LABEL, name)));
      cs.setWorkflowMetadata(workflows);
      cron.setSpec(cs);
      Owners.stamp(cron, cs);
      crons.add(cron);
    }
    return crons;
  }

  static List<PipelineParam> params(PipelineSpec spec) {
    return spec.getParams() == null ? List.of() : spec.getParams();
  }

  static List<NasVolumeMount> volumes(PipelineSpec spec) {
    return spec.getVolumes() == null ? List.of() : spec.getVolumes();
  }

  static List<RedisBinding> redis(PipelineSpec spec) {
    return spec.getRedis() == null ? List.of() : spec.getRedis();
  }

  static String redisNamespace(Pipeline pipeline, RedisBinding b) {
    return b.getNamespace() == null ? pipeline.getMetadata().getNamespace() : b.getNamespace();
  }
}
