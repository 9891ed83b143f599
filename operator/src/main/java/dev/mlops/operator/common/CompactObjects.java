package dev.mlops.operator.common;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shrinks an object held in an informer cache without changing what any getter answers.
 *
 * <p>A Kubernetes model object is mostly overhead: every fabric8 class allocates an empty
 * {@code additionalProperties} map, a {@code PodSpec} allocates 22 empty lists, and the same strings
 * (namespace, label keys and values, condition types, "True", node names) are repeated in every object.
 * This replaces empty lists and maps by the shared immutable empties, lists by compact immutable
 * copies, and interns strings. Maps become compact immutable copies too where their order does not
 * matter ({@code keepMapOrder} false); otherwise exactly sized ordered copies with interned entries
 * (a user's map, such as {@code spec.nccl.env}, renders in the order it was written).
 *
 * <p>Cached objects are read-only to everyone (the reconciler reads them; JOSDK clones the primary
 * resource before handing it out), so immutable collections are safe; a write to one fails loudly
 * instead of corrupting the cache.
 */
public final class CompactObjects {

  private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
    @Override
    protected Field[] computeValue(Class<?> type) {
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isFinal(f.getModifiers())) {
            f.setAccessible(true);
            fields.add(f);
          }
        }
      }
      return fields.toArray(Field[]::new);
    }
  };

  private CompactObjects() {}

  /** Compacts {@code object} in place and returns it. */
  public static <T> T compact(T object, boolean keepMapOrder) {
    if (object != null) {
      fields(object, keepMapOrder);
    }
    return object;
  }

  private static boolean isModel(Class<?> type) {
    String name = type.getName();
    return name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("dev.mlops.operator.api.")
        || type == io.fabric8.kubernetes.client.CustomResource.class;
  }

  // Strings unique to one object: interning them would share nothing and only fill the string table.
  private static final java.util.Set<String> UNIQUE = java.util.Set.of("uid", "resourceVersion", "creationTimestamp",
      "lastTransitionTime", "lastProbeTime", "startTime", "startedAt", "finishedAt", "completionTime", "message",
      "time", "lastHeartbeatTime");

  private static void fields(Object object, boolean keepMapOrder) {
    for (Field field : FIELDS.get(object.getClass())) {
      try {
        Object value = field.get(object);
        if (value != null && !(value instanceof String && UNIQUE.contains(field.getName()))) {
          Object compacted = value(value, keepMapOrder);
          if (compacted != value) {
            field.set(object, compacted);
          }
        }
      } catch (IllegalAccessException | IllegalArgumentException e) {
        // A field that cannot be set keeps its value: compaction only ever saves memory.
      }
    }
  }

  private static Object value(Object value, boolean keepMapOrder) {
    if (value instanceof String s) {
      return s.intern();
    }
    if (value instanceof List<?> list) {
      return list(list, keepMapOrder);
    }
    if (value instanceof Map<?, ?> map) {
      return map(map, keepMapOrder);
    }
    if (isModel(value.getClass())) {
      fields(value, keepMapOrder);
    }
    return value;
  }

  private static List<?> list(List<?> list, boolean keepMapOrder) {
    if (list.isEmpty()) {
      return List.of();
    }
    List<Object> copy = new ArrayList<>(list.size());
    boolean nulls = false;
    for (Object element : list) {
      Object compacted = element == null ? null : value(element, keepMapOrder);
      nulls |= compacted == null;
      copy.add(compacted);
    }
    return nulls ? Collections.unmodifiableList(copy) : List.copyOf(copy);
  }

  private static Map<?, ?> map(Map<?, ?> map, boolean keepMapOrder) {
    if (map.isEmpty()) {
      return Map.of();
    }
    int capacity = (int) (map.size() / 0.75f) + 1;
    Map<Object, Object> copy = keepMapOrder ? new LinkedHashMap<>(capacity) : new HashMap<>(capacity);
    boolean nulls = false;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object key = e.getKey() == null ? null : value(e.getKey(), keepMapOrder);
      Object val = e.getValue() == null ? null : value(e.getValue(), keepMapOrder);
      nulls |= key == null || val == null;
      copy.put(key, val);
    }
    if (keepMapOrder) {
      return copy;
    }
    return nulls ? Collections.unmodifiableMap(copy) : Map.copyOf(copy);
  }
}
