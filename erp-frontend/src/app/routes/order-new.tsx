import { useNavigate } from "react-router";
import { PageHeader } from "@/components/page-header";
import { OrderForm } from "@/features/orders/components/order-form";

export function OrderNewRoute() {
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="New order" description="Lines are priced by the server; the total updates as you type." />
      <OrderForm onCreated={(order) => void navigate(`/orders/${order.id}`)} onCancel={() => void navigate("/orders")} />
    </>
  );
}
