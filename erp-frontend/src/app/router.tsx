import { lazy, Suspense } from "react";
import { createBrowserRouter, Navigate, type RouteObject } from "react-router";
import { LoadingState } from "@/components/query-states";
import { AppLayout } from "./layout/app-layout";
import { AttentionRoute } from "./routes/attention";
import { RequireAuth, RequirePermission } from "./layout/guards";
import { NotFoundRoute } from "./routes/not-found";
import { OrderDetailRoute } from "./routes/order-detail";
import { OrderNewRoute } from "./routes/order-new";
import { OrdersRoute } from "./routes/orders";
import { PayLinkRoute } from "./routes/pay-link";
import { PayReturnRoute } from "./routes/pay-return";
import { PaymentsRoute } from "./routes/payments";
import { SignInRoute } from "./routes/sign-in";

// The charts library is the bulk of the bundle: only finance opens the dashboard.
const DashboardRoute = lazy(() => import("./routes/dashboard"));

export const routes: RouteObject[] = [
  { path: "/sign-in", element: <SignInRoute /> },
  // The customer's page of a payment link: no ERP sign-in.
  { path: "/pay/return", element: <PayReturnRoute /> },
  { path: "/pay/:token", element: <PayLinkRoute /> },
  {
    element: <RequireAuth><AppLayout /></RequireAuth>,
    children: [
      { index: true, element: <Navigate to="/orders" replace /> },
      { path: "/orders", element: <OrdersRoute /> },
      { path: "/orders/new", element: <RequirePermission permission="orders:write"><OrderNewRoute /></RequirePermission> },
      { path: "/orders/:orderId", element: <OrderDetailRoute /> },
      { path: "/payments", element: <RequirePermission permission="refunds:read"><PaymentsRoute /></RequirePermission> },
      { path: "/attention", element: <RequirePermission permission="audit:read"><AttentionRoute /></RequirePermission> },
      {
        path: "/dashboard",
        element: (
          <RequirePermission permission="reports:read">
            <Suspense fallback={<LoadingState label="Loading the dashboard…" />}><DashboardRoute /></Suspense>
          </RequirePermission>
        ),
      },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
