// Plan texts the suites import over HTTP.

/** A plan with a header and headings but no duty at all: the coordinator has to finish it on the review page. */
export function headerOnlyPlan(opts: { number: string; title: string }): string {
  return [
    '**ỦY BAN NHÂN DÂN HUYỆN VĂN QUAN**',
    '',
    `Số: ${opts.number}`,
    '',
    '*Văn Quan, ngày 15 tháng 3 năm 2024*',
    '',
    '**KẾ HOẠCH**',
    '',
    `**${opts.title}**`,
    '',
    'Căn cứ tình hình thực tế, Ủy ban nhân dân huyện ban hành Kế hoạch như sau.',
    '',
    '**I. MỤC ĐÍCH, YÊU CẦU**',
    '',
    '1. Nâng cao nhận thức về phòng, chống đuối nước.',
    '',
    '**II. TỔ CHỨC THỰC HIỆN**',
    '',
    'Nội dung cụ thể sẽ được hướng dẫn sau.',
    '',
  ].join('\n');
}
