package dev.mlops.operator.nas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.operator.api.v1alpha1.NasBenchmarkStatus;
import dev.mlops.operator.api.v1alpha1.NasServerStatus;
import dev.mlops.operator.api.v1alpha1.NasVolumeStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loop compares statuses with {@code equals} and the planners start from {@code copy()}: both
 * must cover every field of the NAS statuses, including one added later (a field equals misses is a
 * change never written; one copy misses is a value lost on the next write).
 */
class NasStatusTest {

  /** Every field set to a value of its type. */
  static <T> T full(Class<T> type) throws ReflectiveOperationException {
    T object = type.getDeclaredConstructor().newInstance();
    for (Field field : type.getDeclaredFields()) {
      if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      field.set(object, sample(field));
    }
    return object;
  }

  static Object sample(Field field) throws ReflectiveOperationException {
    Class<?> t = field.getType();
    if (t == String.class) {
      return field.getName() + "-value";
    } else if (t == Integer.class) {
      return 7;
    } else if (t == Long.class) {
      return 3L;
    } else if (t == Double.class) {
      return 1234.5;
    } else if (t == List.class) {
      return field.getName().equals("conditions")
          ? new ArrayList<>(List.of(new ConditionBuilder().withType("Ready").withStatus("True").build()))
          : new ArrayList<>(List.of("nfsvers=4.1", "hard"));
    } else if (t == NasBenchmarkStatus.class) {
      return full(NasBenchmarkStatus.class);
    }
    throw new AssertionError("no sample for " + field + ": add one");
  }

  @Test
  void equalsSeesEveryField() throws ReflectiveOperationException {
    for (Class<?> type : List.of(NasServerStatus.class, NasVolumeStatus.class, NasBenchmarkStatus.class)) {
      assertThat(full(type)).as(type.getSimpleName()).isEqualTo(full(type)).hasSameHashCodeAs(full(type));
      for (Field field : type.getDeclaredFields()) {
        if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        Object changed = full(type);
        field.setAccessible(true);
        field.set(changed, null);
        assertThat(changed).as(type.getSimpleName() + " without " + field.getName()).isNotEqualTo(full(type));
      }
    }
  }

  @Test
  void theCopiesAreEqualAndIndependent() throws ReflectiveOperationException {
    NasVolumeStatus volume = full(NasVolumeStatus.class);
    NasVolumeStatus volumeCopy = volume.copy();
    assertThat(volumeCopy).isEqualTo(volume);
    volumeCopy.getMountOptions().add("noatime");
    volumeCopy.getConditions().clear();
    assertThat(volume).isEqualTo(full(NasVolumeStatus.class));

    NasServerStatus server = full(NasServerStatus.class);
    NasServerStatus serverCopy = server.copy();
    assertThat(serverCopy).isEqualTo(server);
    serverCopy.getMountOptions().clear();
    serverCopy.getConditions().clear();
    assertThat(server).isEqualTo(full(NasServerStatus.class));
  }
}
