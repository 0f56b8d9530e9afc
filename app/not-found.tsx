import { notFoundNotice } from "@/lib/ui/error-pages";

export default function NotFound() {
  return <div dangerouslySetInnerHTML={{ __html: notFoundNotice().value }} />;
}
