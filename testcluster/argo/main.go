// Command workflow-controller runs Argo Workflows' controller (github.com/argoproj/argo-workflows/v3,
// as a library) against the test control plane: one instance, no leader election, no metrics
// server. Pods of Workflows run on KWOK nodes, so no executor runs in them: the *E2E tests play the
// executor's part (they create what a resource template creates, complete the pods, report outputs).
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/argoproj/argo-workflows/v3/pkg/client/clientset/versioned"
	"github.com/argoproj/argo-workflows/v3/workflow/controller"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the cluster")
	namespace := flag.String("namespace", "argo", "namespace of the controller's ConfigMap")
	configMap := flag.String("configmap", "workflow-controller-configmap", "the controller's ConfigMap")
	executorImage := flag.String("executor-image", "quay.io/argoproj/argoexec:latest", "the executor image of pods")
	flag.Parse()
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig %s: %v", *kubeconfig, err)
	}
	config.QPS, config.Burst = 50, 100
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wfc, err := controller.NewWorkflowController(ctx, config, kubernetes.NewForConfigOrDie(config),
		versioned.NewForConfigOrDie(config), *namespace, "", *executorImage, "IfNotPresent", "text", *configMap, false)
	if err != nil {
		log.Fatalf("workflow controller: %v", err)
	}
	// Workers: workflows, TTL, pod clean-up, CronWorkflows, archive.
	go wfc.Run(ctx, 8, 2, 2, 2, 1)
	<-ctx.Done()
}
